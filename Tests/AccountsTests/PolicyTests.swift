// Policy flags: the default stores nothing, round trips, the role rule, strict decoding.
import Accounts
import Vault
import XCTest

final class PolicyTests: XCTestCase {
  func testDefaultStoresNothing() throws {
    var u = user([])
    XCTAssertEqual(try UserPolicy.load(u), UserPolicy(requireMFA: false, role: nil))
    XCTAssertTrue(try UserPolicy.load(u).isDefault)
    UserPolicy().store(into: &u)
    XCTAssertEqual(u, user([]))
    // Setting and then clearing everything removes the section again.
    UserPolicy(requireMFA: true, role: "admin").store(into: &u)
    XCTAssertNotNil(u.extensions[ExtensionTag.policy.rawValue])
    UserPolicy().store(into: &u)
    XCTAssertNil(u.extensions[ExtensionTag.policy.rawValue])
    XCTAssertEqual(u, user([]))
  }

  func testRoundTrip() throws {
    let policies = [
      UserPolicy(requireMFA: true),
      UserPolicy(role: "ops"),
      UserPolicy(requireMFA: true, role: "Site reliability – on call 🚒"),
      UserPolicy(requireMFA: false, role: String(repeating: "é", count: 64)),
    ]
    for p in policies {
      var u = user([totpAuth()])
      p.store(into: &u)
      XCTAssertEqual(try UserPolicy.load(u), p)
      XCTAssertEqual(try UserPolicy.load(UserCodec.decode(UserCodec.encode(u))), p)
    }
  }

  func testLayout() throws {
    var u = user([])
    UserPolicy(requireMFA: true).store(into: &u)
    XCTAssertEqual(u.extensions[ExtensionTag.policy.rawValue], [1, 1, 0])
    UserPolicy(requireMFA: false, role: "ops").store(into: &u)
    XCTAssertEqual(u.extensions[ExtensionTag.policy.rawValue], [1, 0, 1, 3, 0, 0, 0] + Array("ops".utf8))
    UserPolicy(requireMFA: true, role: "ops").store(into: &u)
    XCTAssertEqual(u.extensions[ExtensionTag.policy.rawValue], [1, 1, 1, 3, 0, 0, 0] + Array("ops".utf8))
  }

  func testRoleRule() {
    let valid = [
      "a", "admin", "Billing Admin", "-leading-hyphen", "ops/eu-west", String(repeating: "x", count: 64),
      String(repeating: "ß", count: 64), "日本語", "🚒 dev", "café\u{301}",
    ]
    for r in valid {
      XCTAssertTrue(UserPolicy.isValid(role: r), r.debugDescription)
      XCTAssertNoThrow(try UserPolicy.validate(role: r))
    }
    let invalid = [
      "", String(repeating: "x", count: 65), String(repeating: "ß", count: 65),
      "tab\there", "new\nline", "cr\r", "nul\u{0}", "esc\u{1B}[31m", "del\u{7F}", "c1\u{85}",
      "bidi\u{202E}", "zero\u{200B}width", "zwj👩\u{200D}💻", "bom\u{FEFF}", "private\u{E000}", "line\u{2028}sep",
      " leading", "trailing ", "\u{00A0}nbsp", "   ",
    ]
    for r in invalid {
      XCTAssertFalse(UserPolicy.isValid(role: r), r.debugDescription)
      XCTAssertThrowsError(try UserPolicy.validate(role: r)) { error in
        guard case .invalidParameter(let message)? = error as? AccountsError else { return XCTFail("\(error)") }
        XCTAssertTrue(message.hasPrefix("role must be"), message)
        if !r.isEmpty && r != "   " { XCTAssertFalse(message.contains(r), "the message echoes the role") }
      }
    }
  }

  func testStrictDecoding() throws {
    let good: [UInt8] = [1, 1, 1, 3, 0, 0, 0] + Array("ops".utf8)
    XCTAssertEqual(try load(good), UserPolicy(requireMFA: true, role: "ops"))
    for n in 0..<good.count { XCTAssertThrowsError(try load(Array(good.prefix(n))), "prefix \(n)") }
    XCTAssertThrowsError(try load(good + [0]), "trailing byte")
    let bad: [(String, [UInt8])] = [
      ("version 0", [0, 1, 0]),
      ("version 2", [2, 1, 0]),
      ("unknown flag", [1, 3, 0]),
      ("high flag", [1, 0x80, 1, 3, 0, 0, 0] + Array("ops".utf8)),
      ("optional marker 2", [1, 1, 2]),
      ("default policy", [1, 0, 0]),
      ("empty role", [1, 1, 1, 0, 0, 0, 0]),
      ("control character", [1, 1, 1, 3, 0, 0, 0] + Array("o\ns".utf8)),
      ("invalid UTF-8", [1, 1, 1, 3, 0, 0, 0] + [0x6F, 0xFF, 0x73]),
      ("role too long", [1, 1, 1, 65, 0, 0, 0] + [UInt8](repeating: 0x61, count: 65)),
      ("huge length", [1, 1, 1, 0xFF, 0xFF, 0xFF, 0x7F]),
    ]
    for (what, bytes) in bad {
      XCTAssertThrowsError(try load(bytes), what) { XCTAssertTrue($0 is DecodeError, "\(what): \($0)") }
    }
  }

  func load(_ bytes: [UInt8]) throws -> UserPolicy {
    var u = user([])
    u.extensions[ExtensionTag.policy.rawValue] = bytes
    return try UserPolicy.load(u)
  }
}
