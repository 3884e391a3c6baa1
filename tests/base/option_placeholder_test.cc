// base/option_placeholder.h: the word --help shows for an option's value, never a type tag.

#include "base/option_placeholder.h"

#include <gtest/gtest.h>

namespace ctkit {
namespace {

TEST(OptionPlaceholderTest, AnOwnTypeNameIsKept) {
  EXPECT_EQ(OptionPlaceholder("FILE", "PEM output", "out"), "FILE");
}

TEST(OptionPlaceholderTest, ASetCheckListsItsMembers) {
  EXPECT_EQ(OptionPlaceholder("TEXT:{text,json}", "Output format", "format"), "text|json");
}

TEST(OptionPlaceholderTest, ANumberIsNamedByTheUnitItsDescriptionNames) {
  EXPECT_EQ(OptionPlaceholder("FLOAT:FLOAT in [0.05 - 86400]", "Seconds between checks", "poll"),
            "SECONDS");
  EXPECT_EQ(OptionPlaceholder("FLOAT", "Hours between refreshes", "refresh"), "HOURS");
  EXPECT_EQ(OptionPlaceholder("INT", "Validity in days", "days"), "DAYS");
  EXPECT_EQ(OptionPlaceholder("UINT", "First entry index", "start"), "N");
}

TEST(OptionPlaceholderTest, OtherwiseTheLongNameInCapitals) {
  EXPECT_EQ(OptionPlaceholder("TEXT", "Log list", "log-list"), "LOG_LIST");
  EXPECT_EQ(OptionPlaceholder("", "", ""), "VALUE");
}

}  // namespace
}  // namespace ctkit
