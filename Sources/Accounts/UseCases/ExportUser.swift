// `users export`: everything held about one user (a data subject's copy), recorded as
// `user.exported`.

public enum ExportUser {
  public struct Result {
    public var user: User
    public var recoveryCodes: RecoveryCodeSet?
    /// Live devices and sessions only: dead ones are no longer held.
    public var devices: [TrustedDevice]
    public var sessions: [Session]
    /// The user's audit events, and the names they refer to.
    public var events: [AuditEntry]
    public var names: [String: String]
  }

  /// `reveal` writes the export before the commit records it: a failed write changes
  /// nothing.
  public static func run(_ store: AccountStore, user name: String, reveal: (Result) throws -> Void) throws -> Result {
    let u = try store.user(name)
    let now = store.now
    let audit = try ReadAudit.run(store)
    let result = Result(
      user: u, recoveryCodes: try RecoveryCodeSet.load(u), devices: try Devices.load(u).filter { $0.isLive(at: now) },
      sessions: try Sessions.load(u).filter { $0.isLive(at: now) }, events: audit.entries.filter { $0.userID == u.id },
      names: audit.names)
    store.record(AccountEvent(.userExported, user: u))
    try reveal(result)
    try store.commit()
    return result
  }
}
