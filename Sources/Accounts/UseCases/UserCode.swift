// What the use cases that check one code of one user take and give back.

/// A user's name and the code they gave.
public struct UserCode {
  public var user: String
  public var code: String
  public init(user: String, code: String) {
    self.user = user
    self.code = code
  }
}

/// The user as saved after the check, and what the check found.
public struct UserOutcome<Outcome> {
  public var user: User
  public var outcome: Outcome
}
