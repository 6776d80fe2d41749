import Accounts
import XCTest

final class UserNameTests: XCTestCase {
  func testAcceptsEveryAllowedCharacterClass() throws {
    for name in [
      "a", "Z", "0", "alice", "Alice.Smith", "bob_1", "carol@example.org", "dave+mfa", "e-f", "_x", ".x", "@x",
      "+x", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._@+-",
    ].filter({ $0.count <= 64 }) {
      XCTAssertNoThrow(try UserName.validate(name), name)
    }
  }

  func testLengthBoundaries() {
    XCTAssertNoThrow(try UserName.validate(String(repeating: "a", count: 64)))
    XCTAssertThrowsAccountsError(
      try UserName.validate(String(repeating: "a", count: 65)),
      .invalidUserName("longer than 64 characters"))
    XCTAssertThrowsAccountsError(try UserName.validate(""), .invalidUserName("empty"))
    XCTAssertNoThrow(try UserName.validate("a"))
  }

  func testLeadingHyphenRefusedButInnerAndTrailingAllowed() {
    XCTAssertThrowsAccountsError(try UserName.validate("-alice"), .invalidUserName("must not start with '-'"))
    XCTAssertThrowsAccountsError(try UserName.validate("-"), .invalidUserName("must not start with '-'"))
    XCTAssertNoThrow(try UserName.validate("a-"))
    XCTAssertNoThrow(try UserName.validate("a-b"))
  }

  func testForbiddenCharacters() {
    let bad = [
      "a b", "a\tb", "a\nb", "a/b", "a\\b", "a:b", "a;b", "a,b", "a=b", "a*b", "a?b", "a!b", "a#b", "a$b",
      "a%b", "a&b", "a'b", "a\"b", "a(b", "a)b", "a[b", "a]b", "a{b", "a}b", "a<b", "a>b", "a|b", "a~b",
      "a`b", "a^b", "a\u{0}b", "a\u{7f}b", "é", "ä", "日本", "a\u{200b}b", "🙂", "ａ",
    ]
    for name in bad {
      XCTAssertThrowsAccountsError(
        try UserName.validate(name), .invalidUserName("only letters, digits and . _ @ + - are allowed"))
    }
  }

  func testNonASCIICountedInBytesStillRefused() {
    // 64 two-byte characters: refused (as too long, before the character check).
    XCTAssertThrowsError(try UserName.validate(String(repeating: "é", count: 64)))
    XCTAssertFalse(UserName.isValid(String(repeating: "é", count: 32)))
  }

  func testMessagesNeverEchoTheName() {
    do {
      try UserName.validate("evil\u{1b}[2Jname")
      XCTFail("accepted")
    } catch {
      XCTAssertFalse("\(error)".contains("evil"))
      XCTAssertEqual("\(error)", "invalid user name: only letters, digits and . _ @ + - are allowed")
    }
  }
}
