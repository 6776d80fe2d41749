// `users export-uri` and `code USER`: reading a user's shared secrets is audited
// (`secret.exported`, `code.shown`), one event per authenticator read.

public enum RevealSecrets {
  public enum Purpose {
    /// `users export-uri`: the otpauth URIs; every authenticator unless one is named.
    case exportURIs
    /// `code USER`: the current code of one authenticator (the named one, else the first
    /// active one, else the first).
    case showCode
  }

  public struct Input {
    public var user: String
    public var authenticatorID: String?
    public var purpose: Purpose
    public init(user: String, authenticatorID: String? = nil, purpose: Purpose) {
      self.user = user
      self.authenticatorID = authenticatorID
      self.purpose = purpose
    }
  }

  /// The user and the authenticators whose secrets are read.
  public typealias Result = UserOutcome<[Authenticator]>

  /// Throws `authenticatorNotFound` for an unknown id. With no authenticator to read:
  /// `noActiveAuthenticator` for a code; for URIs an empty result, nothing recorded.
  /// `reveal` is called before the commit records the read: `export-uri` prints there
  /// (a failed write changes nothing); `code` prints only after the commit (a code is
  /// never shown unrecorded) and passes an empty `reveal`.
  public static func run(_ store: AccountStore, _ input: Input, reveal: (Result) throws -> Void) throws -> Result {
    let u = try store.user(input.user)
    var chosen: [Authenticator]
    if let id = input.authenticatorID {
      guard let a = u.authenticators.first(where: { $0.id == id }) else {
        throw AccountsError.authenticatorNotFound(id)
      }
      chosen = [a]
    } else {
      switch input.purpose {
      case .exportURIs: chosen = u.authenticators
      case .showCode:
        guard let a = u.authenticators.first(where: { $0.isActive }) ?? u.authenticators.first else {
          throw AccountsError.noActiveAuthenticator(u.name)
        }
        chosen = [a]
      }
    }
    let result = Result(user: u, outcome: chosen)
    guard !chosen.isEmpty else { return result }
    for a in chosen {
      switch input.purpose {
      case .exportURIs:
        store.record(AccountEvent(.secretExported, user: u, detail: ["authenticator": a.id, "type": a.type.rawValue]))
      case .showCode:
        store.record(AccountEvent(.codeShown, user: u, detail: ["authenticator": a.id]))
      }
    }
    try reveal(result)
    try store.commit()
    return result
  }
}
