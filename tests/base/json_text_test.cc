// base/json_text.h: ctkit's one JSON writer: a document pretty-printed with two spaces, a JSON
// Lines line compact, each ending in one newline; invalid UTF-8 replaced, never thrown on.

#include "base/json_text.h"

#include <gtest/gtest.h>

#include <string>

namespace ctkit {
namespace {

TEST(JsonTextTest, ADocumentIsPrettyWithTwoSpaces) {
  nlohmann::ordered_json value = {{"b", 1}, {"a", {1, 2}}};
  EXPECT_EQ(JsonText(value, JsonStyle::kDocument),
            "{\n  \"b\": 1,\n  \"a\": [\n    1,\n    2\n  ]\n}\n");
}

TEST(JsonTextTest, ALineIsCompact) {
  nlohmann::ordered_json value = {{"b", 1}, {"a", {1, 2}}};
  EXPECT_EQ(JsonText(value, JsonStyle::kLine), "{\"b\":1,\"a\":[1,2]}\n");
  nlohmann::json unordered = {{"x", "y"}};
  EXPECT_EQ(JsonText(unordered, JsonStyle::kLine), "{\"x\":\"y\"}\n");
}

TEST(JsonTextTest, ControlCharactersAreEscapedAndInvalidUtf8Replaced) {
  nlohmann::ordered_json value = {{"name", std::string("a\x1b\n\xff"
                                                       "b")}};
  EXPECT_EQ(JsonText(value, JsonStyle::kLine),
            "{\"name\":\"a\\u001b\\n\xEF\xBF\xBD"
            "b\"}\n");
}

}  // namespace
}  // namespace ctkit
