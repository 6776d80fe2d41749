// `recovery-codes generate`: a new set of recovery codes replacing the old one, with
// `recovery.generated`.

public enum GenerateRecoveryCodes {
  public struct Input {
    public var user: String
    public var count: Int
    public init(user: String, count: Int) {
      self.user = user
      self.count = count
    }
  }

  public struct Result {
    public var user: User
    /// The codes, shown once (only their keyed hashes are stored).
    public var codes: [String]
    /// Whether an earlier set was voided.
    public var replaced: Bool
  }

  /// `reveal` shows the codes before the commit: if nobody can read the new codes, the
  /// old set stays valid (ARCHITECTURE.md, Rules, "Fail closed"); when it throws, nothing
  /// is committed.
  public static func run(_ store: AccountStore, _ input: Input, reveal: (Result) throws -> Void) throws -> Result {
    var u = try store.user(input.user)
    let replaced = try RecoveryCodeSet.load(u) != nil
    let codes = try RecoveryCodes.generate(&u, count: input.count, key: try store.recoveryCodesKey(), now: store.now)
    try store.save(
      u,
      event: AccountEvent(
        .recoveryGenerated, user: u, detail: ["count": String(input.count), "replaced": String(replaced)]))
    let result = Result(user: u, codes: codes, replaced: replaced)
    try reveal(result)
    try store.commit()
    return result
  }
}
