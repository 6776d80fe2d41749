// `users import google-authenticator`: one user's ~/.google_authenticator as an active
// authenticator, its used steps and drift kept, its scratch codes as recovery codes
// (`user.created`, `enrol.imported`).
import Sodium

public enum ImportGoogleAuthenticator {
  public struct Input {
    public var user: String
    public var file: GoogleAuthenticatorFile
    public var issuer: String
    public init(user: String, file: GoogleAuthenticatorFile, issuer: String) {
      self.user = user
      self.file = file
      self.issuer = issuer
    }
  }

  public struct Result {
    public var user: User
    public var authenticator: Authenticator
    public var userCreated: Bool
    /// Whether the scratch codes replaced recovery codes the user still had.
    public var recoveryReplaced: Bool
  }

  /// Throws `ImportError.secretHeld` (line nil) when the user already holds the secret.
  public static func run(_ store: AccountStore, _ input: Input) throws -> Result {
    let parsed = input.file
    let now = store.now
    let existing = try store.userIfExists(input.user)
    var u = try existing ?? Enrolment.newUser(name: input.user, now: now)
    if let same = u.authenticators.first(where: { Sodium.constantTimeEqual($0.secret, parsed.secret) }) {
      throw ImportError.secretHeld(line: nil, user: input.user, authenticatorID: same.id)
    }
    var auth = try Enrolment.newAuthenticator(
      type: parsed.type, algorithm: .sha1, digits: 6, period: parsed.period, issuer: input.issuer, label: nil,
      secret: parsed.secret, counter: parsed.counter, activate: true, existingIDs: Set(u.authenticators.map(\.id)),
      now: now)
    auth.lastStep = parsed.lastStep
    auth.drift = parsed.drift
    u.authenticators.append(auth)
    var replaced = false
    if let set = parsed.recoveryCodeSet(userID: u.id, key: try store.recoveryCodesKey(), now: now) {
      replaced = try RecoveryCodes.remaining(u) > 0
      set.store(into: &u)
    }
    var detail = EventDetail()
    for (k, v) in parsed.auditDetail { detail[k] = v }  // an import is not on the login path
    detail["authenticator"] = auth.id
    if !parsed.scratchCodes.isEmpty { detail["recovery_replaced"] = String(replaced) }
    if existing == nil { store.record(AccountEvent(.userCreated, user: u)) }
    try store.save(u, event: AccountEvent(.enrolImported, user: u, detail: detail))
    try store.commit()
    return Result(user: u, authenticator: auth, userCreated: existing == nil, recoveryReplaced: replaced)
  }
}
