// `challenge send`: a one-time code for an enabled user, recorded (`challenge.sent`,
// `challenge.throttled`), and withdrawn again (`challenge.undelivered`) when it could not
// be delivered. Delivery itself (a command, or stdout) is the caller's.

public enum SendChallenge {
  public struct Input {
    public var user: String
    /// Lifetime in seconds (nil: Challenges.ttl).
    public var ttl: Int64?
    /// Delivered by a command (committed first, withdrawn on failure) rather than shown
    /// on stdout (shown before the commit).
    public var byCommand: Bool
    public init(user: String, ttl: Int64? = nil, byCommand: Bool) {
      self.user = user
      self.ttl = ttl
      self.byCommand = byCommand
    }
  }

  /// The user after the issue, and `Challenges.issue`'s answer.
  public typealias Result = UserOutcome<ChallengeIssue>

  /// Issues a code. Shown on stdout: `reveal` is called before the commit, so a code
  /// nobody could read is never live (ARCHITECTURE.md, Rules, "Fail closed"). By a
  /// command: committed first, so a slow mailer does not hold the lock, and `reveal` is
  /// not called; if the delivery then fails, `withdraw` takes the code back. Rate
  /// limited: recorded, nothing issued.
  public static func run(_ store: AccountStore, _ input: Input, reveal: (Result) throws -> Void) throws -> Result {
    var u = try store.user(input.user)
    if u.disabled { throw AccountsError.userDisabled(u.name) }
    let issued = try Challenges.issue(
      &u, key: try store.challengesKey(), now: store.now, ttl: input.ttl ?? Challenges.ttl)
    let result = Result(user: u, outcome: issued)
    switch issued {
    case .rateLimited:
      try store.save(u, event: AccountEvent(.challengeThrottled, user: u, outcome: .failure))
      try store.commit()
    case .issued(_, let challenge):
      try store.save(
        u,
        event: AccountEvent(
          .challengeSent, user: u,
          detail: ["challenge": challenge.id, "delivery": input.byCommand ? "command" : "stdout"]))
      if !input.byCommand { try reveal(result) }
      try store.commit()
    }
    return result
  }

  /// Takes back a code that could not be delivered, so no live code is left behind.
  public static func withdraw(_ store: AccountStore, user: String, challengeID: String) throws {
    var u = try store.user(user)
    try Challenges.withdraw(&u, id: challengeID)
    try store.save(
      u, event: AccountEvent(.challengeUndelivered, user: u, outcome: .failure, detail: ["challenge": challengeID]))
    try store.commit()
  }
}
