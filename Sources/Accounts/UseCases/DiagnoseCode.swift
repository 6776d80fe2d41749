// `users diagnose`: where a code matches within a day (clock drift, a used step, a
// pending authenticator). It changes no authenticator state but counts as a failed
// attempt, and is recorded (`diagnose.run`, `diagnose.locked`).

public enum DiagnoseCode {
  public typealias Input = UserCode
  public typealias Result = UserOutcome<DiagnoseResult>

  /// `AccountsError.noActiveAuthenticator` (nothing recorded) for a user with no
  /// authenticator at all.
  public static func run(_ store: AccountStore, _ input: Input) throws -> Result {
    var u = try store.user(input.user)
    let outcome = try Verifier.diagnose(&u, code: input.code, now: store.now)
    let event: AccountEvent
    switch outcome {
    case .noAuthenticator:
      throw AccountsError.noActiveAuthenticator(u.name)
    case .malformed(let rule):
      // Counted like every diagnose; a typo matches nowhere.
      event = AccountEvent(.diagnoseRun, user: u, outcome: .failure, detail: .malformed(rule))
    case .locked:
      event = AccountEvent(.diagnoseLocked, user: u, outcome: .failure)
    case .matches(let matches):
      event = AccountEvent(.diagnoseRun, user: u, outcome: .failure, detail: ["matches": String(matches.count)])
    }
    try store.save(u, event: event)
    try store.commit()
    return Result(user: u, outcome: outcome)
  }
}
