// Policy flags on a user (`users set USER --require-mfa | --role NAME`):
// - requireMFA: the user must have an active authenticator; `verify` on such a user
//   without one fails with a clear message (the caller's part);
// - role: free text shown and filterable in `users list`.
//
// Section `.policy` (extension tag 5) of the user record, format version 1:
//
//   u8   version = 1
//   u8   flags      bit 0: requireMFA; the other bits are 0
//   opt  str role   (u8 0 absent | u8 1, then u32 length + UTF-8 bytes; the role rule below)
//
// The default policy (requireMFA off, no role) is not stored: the section is removed, so
// a reader also rejects a section holding the default, besides any other version,
// unknown flag bits, a bad optional marker, a role breaking the rule, truncated data
// and trailing bytes.
//
// Role rule: 1 to 64 Unicode scalars (so at most 256 UTF-8 bytes), none of them a
// control, format (bidi overrides, zero-width characters and joiners), surrogate,
// private-use, unassigned, line- or paragraph-separator character, and no white space
// at either end.
import Vault

public struct UserPolicy: Equatable {
  public static let version: UInt8 = 1
  public static let maxRoleLength = 64
  static let requireMFAFlag: UInt8 = 1

  public var requireMFA: Bool
  /// Free text per the role rule (see `validate(role:)`).
  public var role: String?

  public init(requireMFA: Bool = false, role: String? = nil) {
    self.requireMFA = requireMFA
    self.role = role
  }

  public var isDefault: Bool { !requireMFA && role == nil }

  /// The user's policy; the default (requireMFA off, no role) when no section is
  /// stored. Throws DecodeError for a section that breaks the layout.
  public static func load(_ user: User) throws -> UserPolicy {
    try user.section(.policy) { try decode(&$0) } ?? UserPolicy()
  }

  /// Writes the policy into `user.extensions`; the default policy removes the section.
  /// A role that breaks the rule is a programming error and traps: check it first with
  /// `validate(role:)`.
  public func store(into user: inout User) {
    if let role = role {
      precondition(Self.isValid(role: role), "refusing to store a role that breaks the role rule")
    }
    user.setSection(.policy) { w in
      if isDefault { return }
      w.u8(Self.version)
      w.u8(requireMFA ? Self.requireMFAFlag : 0)
      w.optional(role) { $0.string($1) }
    }
  }

  /// Throws `invalidParameter` (which never echoes the role) when `role` breaks the rule.
  public static func validate(role: String) throws {
    guard isValid(role: role) else {
      throw AccountsError.invalidParameter(
        "role must be 1 to \(maxRoleLength) printable characters, without control characters or spaces at either end")
    }
  }

  public static func isValid(role: String) -> Bool {
    let scalars = role.unicodeScalars
    guard let first = scalars.first, let last = scalars.last else { return false }
    guard scalars.count <= maxRoleLength else { return false }
    if first.properties.isWhitespace || last.properties.isWhitespace { return false }
    for s in scalars {
      switch s.properties.generalCategory {
      case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator:
        return false
      default:
        continue
      }
    }
    return true
  }

  static func decode(_ r: inout ByteReader) throws -> UserPolicy {
    let v = try r.u8()
    guard v == version else {
      throw DecodeError("unsupported policy section version \(v) (this build reads version \(version))")
    }
    let flags = try r.u8()
    guard flags & ~requireMFAFlag == 0 else { throw DecodeError("unknown policy flags") }
    let role = try r.optional { try $0.string(limit: 4 * maxRoleLength) }
    if let role = role, !isValid(role: role) { throw DecodeError("invalid role in policy section") }
    let policy = UserPolicy(requireMFA: flags & requireMFAFlag != 0, role: role)
    guard !policy.isDefault else { throw DecodeError("policy section holds the default policy") }
    return policy
  }
}
