// `recovery-codes use`: one recovery code used up, outside a sign-in (a helpdesk or a
// script checking it on its own), with its event.

public enum UseRecoveryCode {
  public typealias Input = UserCode
  public typealias Result = UserOutcome<RecoveryResult>

  /// Checks the code, records the outcome (`recovery.used`, `recovery.failure`,
  /// `verify.locked`; a disabled user is refused with nothing recorded) and commits.
  public static func run(_ store: AccountStore, _ input: Input) throws -> Result {
    var u = try store.user(input.user)
    let outcome = try RecoveryCodes.use(&u, code: input.code, key: try store.recoveryCodesKey(), now: store.now)
    switch outcome {
    case .accepted(let remaining):
      try store.save(u, event: AccountEvent(.recoveryUsed, user: u, detail: ["remaining": String(remaining)]))
      try store.commit()
    case .rejected, .noCodes, .malformed:
      // A malformed code is a wrong code (docs/guide.md, "Exit codes", 1): counted by
      // RecoveryCodes.use and audited with the rule it broke, never the code.
      var detail: EventDetail = [:]
      if case .malformed(let rule) = outcome { detail = .malformed(rule) }
      try store.save(u, event: AccountEvent(.recoveryFailure, user: u, outcome: .failure, detail: detail))
      try store.commit()
    case .locked(let until):
      try store.save(
        u, event: AccountEvent(.verifyLocked, user: u, outcome: .failure, detail: ["until": String(until)]))
      try store.commit()
    case .disabled:
      break
    }
    return Result(user: u, outcome: outcome)
  }
}
