// Persistence of users in storage (AccountStorage: the vault file today), and the one
// place every state change passes through. Each change carries the event that describes
// it; `commit()` appends those events to the audit log and writes the changes in one
// transaction, so no command has to remember to audit.
import Sodium
import Vault

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Who asked, from where: recorded with every event.
public struct Actor: Equatable {
  public var name: String
  public var ip: String?
  public var userAgent: String?
  public init(name: String, ip: String? = nil, userAgent: String? = nil) {
    self.name = name
    self.ip = ip
    self.userAgent = userAgent
  }
}

/// Something that happened, in the words of the audit log. Details never hold a secret,
/// a code or a token.
public struct AccountEvent: Equatable {
  public enum Outcome: String { case success, failure }
  public var name: String
  public var user: String?
  public var userID: String?
  public var outcome: Outcome
  public var detail: EventDetail

  public init(_ name: AuditEventName, user: User? = nil, outcome: Outcome = .success, detail: EventDetail = [:]) {
    self.init(rawName: name.rawValue, user: user, outcome: outcome, detail: detail)
  }

  /// An event under a name given as text (tests; names read back from a log). What
  /// mfactl records goes through `AuditEventName`.
  @_disfavoredOverload
  public init(_ rawName: String, user: User? = nil, outcome: Outcome = .success, detail: EventDetail = [:]) {
    self.init(rawName: rawName, user: user, outcome: outcome, detail: detail)
  }

  init(rawName name: String, user: User?, outcome: Outcome, detail: EventDetail) {
    self.name = name
    self.user = user?.name
    self.userID = user?.id
    self.outcome = outcome
    self.detail = detail
  }
}

/// An event's details: written like a dictionary, kept as a short list. A
/// `[String: String]` would instantiate a hashed collection on every verify, whose first
/// use scans every protocol conformance in the binary (bench/README.md).
public struct EventDetail: ExpressibleByDictionaryLiteral, Equatable, Sequence {
  public private(set) var pairs: [(key: String, value: String)]

  public init(dictionaryLiteral elements: (String, String)...) {
    pairs = []
    for (k, v) in elements { self[k] = v }
  }

  public subscript(key: String) -> String? {
    get {
      for p in pairs where p.key == key { return p.value }
      return nil
    }
    set {
      for i in pairs.indices where pairs[i].key == key {
        if let v = newValue { pairs[i].value = v } else { pairs.remove(at: i) }
        return
      }
      if let v = newValue { pairs.append((key, v)) }
    }
  }

  public var isEmpty: Bool { pairs.isEmpty }
  public var count: Int { pairs.count }
  public func makeIterator() -> IndexingIterator<[(key: String, value: String)]> { pairs.makeIterator() }

  public static func == (a: EventDetail, b: EventDetail) -> Bool {
    a.pairs.count == b.pairs.count
      && a.pairs.allSatisfy { p in b.pairs.contains { $0.key == p.key && $0.value == p.value } }
  }
}

/// The clock: `$MFACTL_NOW` (Unix seconds) replaces it in tests.
/// An empty value counts as unset, like every variable; any other value must be an
/// integer in 0...`maxOverride` (the CLI refuses the command otherwise, 64, before any
/// event could be marked as overridden).
public enum Clock {
  /// 9999-12-31T23:59:59Z: far enough for any test, small enough that adding a day of
  /// steps or a lifetime to it cannot overflow.
  public static let maxOverride: Int64 = 253_402_300_799

  static var override: String? {
    guard let s = getenv("MFACTL_NOW"), s.pointee != 0 else { return nil }
    return String(cString: s)
  }

  public static func now() -> Int64 {
    if let s = override, let v = Int64(s), (0...maxOverride).contains(v) { return v }
    return Int64(time(nil))
  }

  public static var isOverridden: Bool { override != nil }

  /// The value of `$MFACTL_NOW` when it is set but not valid Unix seconds (clipped).
  public static func invalidOverride() -> String? {
    guard let s = override else { return nil }
    if let v = Int64(s), (0...maxOverride).contains(v) { return nil }
    return String(s.unicodeScalars.prefix(32).map { $0.value < 0x20 || $0.value == 0x7F ? "?" : Character($0) })
  }
}

public final class AccountStore {
  /// Where the state lives. Commands go through the store's methods, never to this.
  let storage: AccountStorage
  public let now: Int64
  public let actor: Actor
  /// Also send each event to syslog after the commit (SyslogMirror).
  public var mirrorToSyslog = false
  /// Events of this command, in order, waiting for `commit()`.
  public private(set) var events: [AccountEvent] = []

  public init(storage: AccountStorage, now: Int64, actor: Actor) {
    self.storage = storage
    self.now = now
    self.actor = actor
  }

  static func key(_ name: String) -> String { "user/" + name }

  // MARK: The storage, as commands may see it

  /// Whether this store holds the exclusive lock (may write).
  public var isWritable: Bool { storage.lock == .exclusive }
  /// Where the state lives (the vault file's path).
  public var location: String { storage.location }
  /// The stored format's version (an older file's stays until its next write).
  public var formatVersion: Int { storage.formatVersion }
  /// How many records are stored.
  public var recordCount: Int { get throws { try storage.recordCount } }
  /// Releases the lock without committing.
  public func close() { storage.close() }
  /// The committed head of the audit chain (nil: nothing logged yet).
  public func auditHead() throws -> AuditChainHead? { try storage.auditHead() }
  /// The key of recovery-code hashes.
  public func recoveryCodesKey() throws -> SecureBytes { try storage.subkey(.recoveryCodes) }
  /// The key that seals challenge codes.
  public func challengesKey() throws -> SecureBytes { try storage.subkey(.challenges) }

  public func userIfExists(_ name: String) throws -> User? {
    guard var bytes = try storage.get(Self.key(name)) else { return nil }
    defer { Sodium.wipe(&bytes) }
    let user: User
    do {
      user = try bytes.withUnsafeBytes { try UserCodec.decode($0) }
    } catch let e as DecodeError {
      throw VaultError.corrupt("user record: \(e.reason)")
    }
    guard user.name == name else { throw VaultError.corrupt("user record holds another name") }
    return user
  }

  public func user(_ name: String) throws -> User {
    guard let u = try userIfExists(name) else { throw AccountsError.userNotFound(name) }
    return u
  }

  public func exists(_ name: String) throws -> Bool { try storage.contains(Self.key(name)) }

  /// Every user, sorted by name. Decrypts every record.
  public func allUsers() throws -> [User] {
    var users: [User] = []
    for rec in try storage.scan(prefix: "user/") {
      do {
        users.append(try rec.value.withUnsafeBytes { try UserCodec.decode($0) })
      } catch let e as DecodeError {
        throw VaultError.corrupt("user record: \(e.reason)")
      }
    }
    return users.sorted { $0.name < $1.name }
  }

  /// Stages the user's new state and the event that explains it. Expired sessions and
  /// devices are dropped on the way (docs/guide.md, "Sessions": removed lazily on any write).
  public func save(_ user: User, event: AccountEvent) throws {
    var user = user
    try pruneExpired(&user)
    var bytes = UserCodec.encode(user)
    storage.put(Self.key(user.name), bytes)
    Sodium.wipe(&bytes)
    events.append(event)
  }

  /// Stages the user's new state with no event: only for what the contract says is not
  /// audited (a successful `sessions check` / `devices check` moving the last-use time,
  /// TokenChecks.swift). Expired sessions and devices are dropped as in `save`.
  public func saveUnaudited(_ user: User) throws {
    var user = user
    try pruneExpired(&user)
    var bytes = UserCodec.encode(user)
    storage.put(Self.key(user.name), bytes)
    Sodium.wipe(&bytes)
  }

  /// This store opened again for writing (AccountStorage.reopenedForWriting: the exclusive lock,
  /// the vault read afresh), same clock and actor. Nothing may be staged here, and this
  /// store must not be used afterwards.
  public func reopenedForWriting() throws -> AccountStore {
    precondition(events.isEmpty && !storage.hasChanges, "reopening a store with staged changes would drop them")
    let store = AccountStore(storage: try storage.reopenedForWriting(), now: now, actor: actor)
    store.mirrorToSyslog = mirrorToSyslog
    return store
  }

  /// Removes a user. Their name stays known to the audit log (`name/<id>`), so their
  /// history still reads with names; `erase` forgets it.
  public func remove(_ user: User, event: AccountEvent) {
    storage.remove(Self.key(user.name))
    storage.put(Self.nameKey(user.id), Array(user.name.utf8))
    events.append(event)
  }

  /// Removes a user and every trace of their name: their audit events stay (and stay
  /// verifiable) but refer only to an id nothing maps to any more.
  public func erase(_ user: User, event: AccountEvent) {
    storage.remove(Self.key(user.name))
    storage.remove(Self.nameKey(user.id))
    events.append(event)
  }

  static func nameKey(_ id: String) -> String { "name/" + id }

  /// The ids of removed (not erased) users remembered under `name`.
  public func removedUserIDs(named name: String) throws -> [String] {
    try storage.scan(prefix: "name/").filter { String(decoding: $0.value, as: UTF8.self) == name }
      .map { String($0.key.dropFirst(5)) }
  }

  /// Forgets the name of a removed user (`users erase` after `users remove`).
  public func forgetRemovedUser(id: String, event: AccountEvent) {
    storage.remove(Self.nameKey(id))
    events.append(event)
  }

  /// Names of the users audit events refer to: present users, and removed ones that
  /// were not erased. (Erased users' ids are absent.)
  public func userNames() throws -> [String: String] {
    // One pass: every record is decrypted once, whichever of the two kinds it is.
    var names: [String: String] = [:]
    var present: [(id: String, name: String)] = []
    for rec in try storage.scan(prefix: "") {
      if rec.key.hasPrefix("name/") {
        names[String(rec.key.dropFirst(5))] = String(decoding: rec.value, as: UTF8.self)
      } else if rec.key.hasPrefix("user/") {
        do {
          let u = try rec.value.withUnsafeBytes { try UserCodec.decode($0) }
          present.append((u.id, u.name))
        } catch let e as DecodeError {
          throw VaultError.corrupt("user record: \(e.reason)")
        }
      }
    }
    for u in present { names[u.id] = u.name }  // a present user wins over a removed one
    return names
  }

  /// Stages an audit prune: events before `seq` go, and `event` says so.
  public func pruneAudit(keepingFrom seq: UInt64, event: AccountEvent) throws {
    try storage.pruneAudit(keepingFrom: seq, checkpoint: encode(event))
  }

  func encode(_ e: AccountEvent) -> [UInt8] {
    AuditCodec.encode(e, actor: actor, time: now, clockOverridden: Clock.isOverridden)
  }

  /// Records an event that changes no stored state (for example reading a secret).
  public func record(_ event: AccountEvent) {
    events.append(event)
  }

  // MARK: Sessions index
  //
  // `sessions check TOKEN` has no user name, so each live session also has a small
  // record `session/<hex of its token hash's first 16 bytes>` holding the user name.

  static func sessionKey(_ tokenHash: [UInt8]) -> String { "session/" + Sodium.hex(Array(tokenHash.prefix(16))) }

  public func tokenKey() throws -> SecureBytes { try storage.subkey(.tokens) }

  public func indexSessions(_ sessions: [Session], of user: User) {
    for s in sessions { storage.put(Self.sessionKey(s.tokenHash), Array(user.name.utf8)) }
  }

  public func unindexSessions(_ sessions: [Session]) {
    for s in sessions { storage.remove(Self.sessionKey(s.tokenHash)) }
  }

  /// The user a session token belongs to, if the index knows it.
  public func userForSession(tokenHash: [UInt8]) throws -> User? {
    guard let name = try storage.get(Self.sessionKey(tokenHash)) else { return nil }
    return try userIfExists(String(decoding: name, as: UTF8.self))
  }

  /// Revokes every session and trusted device of the user (docs/guide.md, "Sessions":
  /// disabling or removing a user, or removing one of its authenticators, does this),
  /// with their events.
  @discardableResult
  public func revokeAccess(_ user: inout User, reason: String) throws -> (sessions: Int, devices: Int) {
    let sessions = Sessions.revokeAll(&user)
    let devices = Devices.revokeAll(&user)
    unindexSessions(sessions)
    for s in sessions {
      record(AccountEvent(.sessionRevoked, user: user, detail: ["session": s.id, "reason": reason]))
    }
    for d in devices { record(AccountEvent(.deviceRevoked, user: user, detail: ["device": d.id, "reason": reason])) }
    return (sessions.count, devices.count)
  }

  /// Drops expired sessions and devices of a user being written (docs/guide.md,
  /// "Sessions": removed lazily on any write, never returned).
  public func pruneExpired(_ user: inout User) throws {
    // Most users (a PAM login) have neither section: skip decoding them on every write.
    if user.extensions[ExtensionTag.sessions.rawValue] != nil {
      unindexSessions(Sessions.prune(&user, now: now))
    }
    if user.extensions[ExtensionTag.devices.rawValue] != nil {
      _ = Devices.prune(&user, now: now)
    }
  }

  /// Writes everything staged, atomically, with the events appended to the audit log
  /// first (docs/FORMAT.md, "Audit log": an event whose change never reached the vault
  /// is recognised as an interrupted write). Nothing is on disk before this returns.
  public func commit() throws {
    let committed = events
    for e in committed { storage.appendAudit(encode(e)) }
    events.removeAll()
    try storage.commit()
    if mirrorToSyslog { SyslogMirror.send(committed, actor: actor, time: now) }
  }
}
