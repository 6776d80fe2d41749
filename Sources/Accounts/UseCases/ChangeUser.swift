// `users disable | enable | unlock | set`: one user's flags changed under the exclusive
// lock, with the event that says so. A change that changes nothing writes nothing and
// records nothing.

public enum ChangeUser {
  public enum Change: Equatable {
    /// Every verify is refused until enabled; sessions and trusted devices are revoked.
    case disable
    case enable
    /// Clears the failure count and any lockout.
    case unlock
    /// Policy flags (UserPolicy): nil leaves a flag as it is; `clearRole` drops the role.
    case policy(requireMFA: Bool?, role: String?, clearRole: Bool)
  }

  public struct Input {
    public var user: String
    public var change: Change
    public init(user: String, change: Change) {
      self.user = user
      self.change = change
    }
  }

  public struct Result {
    /// The user after the change.
    public var user: User
    /// Whether anything was written.
    public var changed: Bool
    /// With `.policy`: the policy after the change.
    public var policy: UserPolicy?
  }

  public static func run(_ store: AccountStore, _ input: Input) throws -> Result {
    var u = try store.user(input.user)
    var policy: UserPolicy? = nil
    var event: AccountEvent? = nil
    switch input.change {
    case .disable:
      if !u.disabled {
        u.disabled = true
        try store.revokeAccess(&u, reason: "user disabled")
        event = AccountEvent(.userDisabled, user: u)
      }
    case .enable:
      if u.disabled {
        u.disabled = false
        event = AccountEvent(.userEnabled, user: u)
      }
    case .unlock:
      if u.failures != 0 || u.lockedUntil != nil {
        let failures = u.failures
        Lockout.clear(&u)
        event = AccountEvent(.userUnlocked, user: u, detail: ["failures": String(failures)])
      }
    case .policy(let requireMFA, let role, let clearRole):
      var p = try UserPolicy.load(u)
      let before = p
      if let r = requireMFA { p.requireMFA = r }
      if let r = role { p.role = r }
      if clearRole { p.role = nil }
      if p != before {
        p.store(into: &u)
        var detail: EventDetail = ["require_mfa": String(p.requireMFA)]
        if let r = p.role { detail["role"] = r }
        event = AccountEvent(.userPolicy, user: u, detail: detail)
      }
      policy = p
    }
    if let e = event {
      try store.save(u, event: e)
      try store.commit()
    }
    return Result(user: u, changed: event != nil, policy: policy)
  }
}
