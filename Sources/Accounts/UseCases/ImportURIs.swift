// `users import uris`: many otpauth URIs at once, each an active authenticator, users
// created as needed (`user.created`, `enrol.imported`), all in one commit or none.
import OTP
import Sodium

/// Why an import stored nothing.
public enum ImportError: Error, Equatable {
  /// The user already holds this secret; `line` is the input line (nil: a single import).
  case secretHeld(line: Int?, user: String, authenticatorID: String)
  /// An entry the authenticator rules refuse (Enrolment.newAuthenticator).
  case badEntry(line: Int, AccountsError)
}

public enum ImportURIs {
  public struct Entry {
    /// Where it was read (for messages).
    public var line: Int
    public var user: String
    public var uri: OTPAuthURI
    public init(line: Int, user: String, uri: OTPAuthURI) {
      self.line = line
      self.user = user
      self.uri = uri
    }
  }

  public struct Result {
    /// Users this import created.
    public var created: Int
    /// Authenticators added to users who existed before.
    public var addedToExisting: Int
  }

  /// `progress(done)` is called before each entry, and with `entries.count` before the
  /// commit.
  public static func run(_ store: AccountStore, _ entries: [Entry], progress: (Int) -> Void = { _ in }) throws -> Result
  {
    let now = store.now
    // Users as this import leaves them (a user named on several lines gets each).
    var users: [String: User] = [:]
    var created = 0
    var toExisting = 0
    var new = Set<String>()
    for (done, e) in entries.enumerated() {
      progress(done)
      var u: User
      if let staged = users[e.user] {
        u = staged
      } else if let existing = try store.userIfExists(e.user) {
        u = existing
      } else {
        u = try Enrolment.newUser(name: e.user, now: now)
        store.record(AccountEvent(.userCreated, user: u))
        created += 1
        new.insert(e.user)
      }
      if let same = u.authenticators.first(where: { Sodium.constantTimeEqual($0.secret, e.uri.secret) }) {
        throw ImportError.secretHeld(line: e.line, user: e.user, authenticatorID: same.id)
      }
      if !new.contains(e.user) { toExisting += 1 }
      let auth: Authenticator
      do {
        auth = try Enrolment.newAuthenticator(
          type: e.uri.type, algorithm: e.uri.algorithm, digits: e.uri.digits, period: e.uri.period,
          issuer: e.uri.issuer,
          label: e.uri.account == e.user ? nil : e.uri.account, secret: e.uri.secret, counter: e.uri.counter,
          activate: true, existingIDs: Set(u.authenticators.map(\.id)), now: now)
      } catch let error as AccountsError {
        throw ImportError.badEntry(line: e.line, error)
      }
      u.authenticators.append(auth)
      users[e.user] = u
      try store.save(
        u, event: AccountEvent(.enrolImported, user: u, detail: ["authenticator": auth.id, "type": auth.type.rawValue]))
    }
    progress(entries.count)
    try store.commit()
    return Result(created: created, addedToExisting: toExisting)
  }
}
