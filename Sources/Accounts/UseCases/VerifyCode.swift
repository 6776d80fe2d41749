// `verify`: one sign-in attempt (SignIn.attempt decides), with its events, and on
// success the session and trusted device asked for. `enrol --confirm` ends the same way
// (ConfirmAuthenticator.swift) under its own event names.

/// What to do besides checking the code.
public struct SignInExtras {
  public var allowRecovery = false
  public var session: (ttl: Int64?, idle: Int64?, remember: Bool)? = nil
  public var trustDevice: (name: String, ttl: Int64?)? = nil
  public init(allowRecovery: Bool = false) { self.allowRecovery = allowRecovery }
}

/// The events a sign-in's success and plain failure are recorded as. Replays, lockouts
/// and refusals have one name whoever asked (`verify.replay`, `verify.locked`,
/// `verify.refused`).
public struct SignInEvents {
  public var success: AuditEventName
  public var failure: AuditEventName
  public static let verify = SignInEvents(success: .verifySuccess, failure: .verifyFailure)
  public static let enrolment = SignInEvents(success: .enrolConfirmed, failure: .enrolRejected)
}

/// A sign-in after it was recorded: the user as saved, what was decided, and on success
/// what was created.
public struct SignInOutcome {
  public var user: User
  public var result: SignInResult
  public var session: CreatedSession?
  public var device: TrustedDeviceToken?

  /// The new tokens, the session's first.
  public var tokens: [String] { [session?.token, device?.token].compactMap { $0 } }

  /// How the code was accepted, as the audit detail and JSON say it: the
  /// authenticator's type, "challenge" or "recovery" (nil: not accepted).
  public var method: String? {
    guard case .accepted(let m) = result else { return nil }
    switch m {
    case .authenticator(let id, _): return user.authenticators.first { $0.id == id }?.type.rawValue ?? "totp"
    case .challenge: return "challenge"
    case .recovery: return "recovery"
    }
  }
}

public enum VerifyCode {
  public struct Input {
    public var user: String
    public var code: String
    public var window: Int?
    public var extras: SignInExtras
    public init(user: String, code: String, window: Int? = nil, extras: SignInExtras = SignInExtras()) {
      self.user = user
      self.code = code
      self.window = window
      self.extras = extras
    }
  }

  /// Checks the code and records the outcome, whatever it is, in one commit. `reveal`
  /// is called before the commit when the outcome holds new tokens (a token nobody could
  /// read is never stored, and the code is not used up: ARCHITECTURE.md, Rules, "Fail
  /// closed"); otherwise nothing is to be shown before the commit, and `reveal` is not called.
  public static func run(_ store: AccountStore, _ input: Input, reveal: (SignInOutcome) throws -> Void) throws
    -> SignInOutcome
  {
    var u = try store.user(input.user)
    let result = try SignIn.attempt(
      &u, code: input.code, now: store.now, options: VerifyOptions(window: input.window),
      allowRecovery: input.extras.allowRecovery, keys: store.signInKeys())
    return try record(store, u, result, extras: input.extras, events: .verify, reveal: reveal)
  }

  /// Records a decided sign-in: its event, and on success the session and device asked
  /// for; then commits.
  static func record(
    _ store: AccountStore, _ user: User, _ result: SignInResult, extras: SignInExtras, events: SignInEvents,
    reveal: (SignInOutcome) throws -> Void
  ) throws -> SignInOutcome {
    var u = user
    var outcome = SignInOutcome(user: u, result: result)
    switch result {
    case .accepted(let method):
      var detail: EventDetail = [:]
      switch method {
      case .authenticator(let id, let offset):
        detail = ["method": outcome.method!, "authenticator": id, "offset": String(offset)]
      case .challenge:
        detail = ["method": "challenge"]
      case .recovery(let remaining):
        detail = ["method": "recovery", "remaining": String(remaining)]
        store.record(AccountEvent(.recoveryUsed, user: u, detail: ["remaining": String(remaining)]))
      }
      if let s = extras.session {
        let created = try CreateSession.stage(
          store, &u, SessionRequest(ttl: s.ttl, idle: s.idle, remember: s.remember),
          deviceName: extras.trustDevice?.name)
        store.record(AccountEvent(.sessionCreated, user: u, detail: ["session": created.session.id]))
        outcome.session = created
      }
      if let d = extras.trustDevice {
        let trusted = try TrustDevice.stage(store, &u, DeviceRequest(name: d.name, ttl: d.ttl))
        store.record(TrustDevice.trustedEvent(u, trusted))
        outcome.device = trusted
      }
      try store.save(u, event: AccountEvent(events.success, user: u, detail: detail))
      outcome.user = u
      if !outcome.tokens.isEmpty { try reveal(outcome) }
      try store.commit()
    case .rejected(let replay):
      try store.save(u, event: AccountEvent(replay ? .verifyReplay : events.failure, user: u, outcome: .failure))
      try store.commit()
    case .malformed(let rule):
      // A typo is a wrong code (docs/guide.md, "Exit codes", 1): counted and audited like
      // one, with the rule it broke in the detail, never the code.
      try store.save(u, event: AccountEvent(events.failure, user: u, outcome: .failure, detail: .malformed(rule)))
      try store.commit()
    case .locked(let until):
      try store.save(
        u, event: AccountEvent(.verifyLocked, user: u, outcome: .failure, detail: ["until": String(until)]))
      try store.commit()
    case .disabled:
      try refused(store, u, "disabled")
    case .noFactor:
      try refused(store, u, "no active authenticator")
    case .mfaRequired:
      try refused(store, u, "mfa required")
    }
    return outcome
  }

  /// A verify refused before any code was checked is still audited (`verify.refused`).
  static func refused(_ store: AccountStore, _ u: User, _ reason: String) throws {
    store.record(AccountEvent(.verifyRefused, user: u, outcome: .failure, detail: ["reason": reason]))
    try store.commit()
  }
}

extension EventDetail {
  /// The audit detail of a malformed code: that it was malformed and the rule it broke,
  /// never the code itself.
  public static func malformed(_ rule: String) -> EventDetail { ["reason": "malformed", "rule": rule] }
}

extension AccountStore {
  /// The keys sign-in needs, fetched from storage only when a code needs them.
  public func signInKeys() -> SignInKeys {
    SignInKeys(recovery: { try self.recoveryCodesKey() }, challenges: { try self.challengesKey() })
  }
}
