// The user-name rule (docs/guide.md, "Usage"): 1 to 64 characters from
// `A-Z a-z 0-9 . _ @ + -`, not starting with `-` (so a name can never be taken for an
// option). The CLI checks it before the vault is opened (usage error, exit 64).

public enum UserName {
  public static let maxLength = 64

  public static func validate(_ s: String) throws {
    let utf8 = s.utf8
    if utf8.isEmpty { throw AccountsError.invalidUserName("empty") }
    // Every allowed character is one ASCII byte, so counting bytes is counting
    // characters; anything longer is wrong whatever it holds.
    if utf8.count > maxLength {
      throw AccountsError.invalidUserName("longer than \(maxLength) characters")
    }
    if utf8.first == UInt8(ascii: "-") {
      throw AccountsError.invalidUserName("must not start with '-'")
    }
    for b in utf8 where !isAllowed(b) {
      throw AccountsError.invalidUserName("only letters, digits and . _ @ + - are allowed")
    }
  }

  public static func isValid(_ s: String) -> Bool {
    (try? validate(s)) != nil
  }

  @inline(__always)
  static func isAllowed(_ b: UInt8) -> Bool {
    switch b {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"):
      return true
    case UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "@"), UInt8(ascii: "+"), UInt8(ascii: "-"):
      return true
    default:
      return false
    }
  }
}
