// Sessions of a user (`sessions create | check | list | revoke`, `verify --session`): pure
// rules over the user record, no I/O. A session is a bearer token (`mfas_` + URL-safe
// base64 of 32 random bytes, Token.generate) shown once; only its keyed hash is kept.
//
// Extension section 3 (ExtensionTag.sessions), version 1. Little-endian, field types as
// in UserCodec.swift (str = u32 length + UTF-8 bytes; opt = u8 0 absent | u8 1 then the
// value; bool = u8 0 or 1):
//
//   u8   version = 1
//   u16  session count (1...65535), then each session, oldest first:
//        str  id             8 lowercase hex characters, unique within the user
//        u8[32] tokenHash    BLAKE2b-256 of the token's UTF-8 bytes, keyed with the
//                            vault's token subkey (Token.hash); the token is never stored
//        i64  createdAt      Unix seconds
//        i64  lastSeenAt     the last successful check (createdAt at first)
//        i64  expiresAt      absolute end of the session
//        opt  i64 idleTimeout  seconds, > 0; absent = no idle timeout
//        bool remember       created with --remember
//        opt  str ip           0...1024 bytes, no control characters
//        opt  str userAgent    0...1024 bytes, no control characters
//        opt  str deviceName   1...64 characters, no control characters, not blank
//
// A user without sessions has no section (an empty list is never written). A reader
// rejects (DecodeError) any other version, a zero count, a bad optional or boolean
// marker, an id that is not 8 lowercase hex characters, a duplicate id, a non-positive
// idle timeout, a string breaking its rule (invalid UTF-8 included), truncated data and
// trailing bytes.
//
// A session is live at `now` while `now < expiresAt` and, with an idle timeout, while
// `now < lastSeenAt + idleTimeout`. Dead sessions are dropped on every write that knows
// the time (create, a check that writes, prune) and never returned by check. A
// successful check moves `lastSeenAt` only once it is `refreshInterval` old, so the
// stored time lags the last check by less than that (the session dies early, never late).
import Sodium
import Vault

public struct Session: Equatable, TokenRecord {
  /// 8 lowercase hex characters, unique within the user (shown by `list`, used by `revoke`).
  public var id: String
  /// Token.hash of the token (32 bytes).
  public var tokenHash: [UInt8]
  public var createdAt: Int64
  public var lastSeenAt: Int64
  public var expiresAt: Int64
  /// Seconds without a check after which the session dies; nil = none.
  public var idleTimeout: Int64?
  public var remember: Bool
  public var ip: String?
  public var userAgent: String?
  public var deviceName: String?

  public init(
    id: String, tokenHash: [UInt8], createdAt: Int64, lastSeenAt: Int64, expiresAt: Int64, idleTimeout: Int64?,
    remember: Bool = false, ip: String? = nil, userAgent: String? = nil, deviceName: String? = nil
  ) {
    self.id = id
    self.tokenHash = tokenHash
    self.createdAt = createdAt
    self.lastSeenAt = lastSeenAt
    self.expiresAt = expiresAt
    self.idleTimeout = idleTimeout
    self.remember = remember
    self.ip = ip
    self.userAgent = userAgent
    self.deviceName = deviceName
  }

  /// When the idle timeout ends the session if there is no check before (nil: no idle timeout).
  public var idleDeadline: Int64? {
    idleTimeout.map { TokenRecords.add(lastSeenAt, $0) }
  }

  /// `now < expiresAt` and, with an idle timeout, `now < lastSeenAt + idleTimeout`.
  public func isLive(at now: Int64) -> Bool {
    guard now < expiresAt else { return false }
    if let deadline = idleDeadline { return now < deadline }
    return true
  }

  /// How old the stored `lastSeenAt` may grow before a successful check writes it again:
  /// 60 s, or half the idle timeout when that is shorter (so that a session checked more
  /// often than its idle timeout keeps sliding). The stored time lags the last check by
  /// less than this, and the idle deadline is measured from the stored time: a session
  /// may die up to this long early, never late (docs/decisions.md).
  public var refreshInterval: Int64 {
    guard let idle = idleTimeout else { return Sessions.refreshInterval }
    return min(Sessions.refreshInterval, max(1, idle / 2))
  }

  /// Whether a successful check at `now` must write the vault to move `lastSeenAt`.
  public func needsRefresh(at now: Int64) -> Bool {
    now > lastSeenAt && now - lastSeenAt >= refreshInterval
  }
}

/// `revoke` of an id the user has no session with (exit 66).
public enum SessionsError: Error, Equatable, CustomStringConvertible {
  /// The payload is the id as given; the message echoes it only when it has the shape of
  /// an id (so a token pasted by mistake never reaches a terminal or log).
  case notFound(String)

  public var description: String {
    switch self {
    case .notFound(let id): return "session not found: " + TokenRecords.describeID(id)
    }
  }
}

public enum Sessions {
  public static let defaultTTL: Int64 = 86400
  public static let defaultIdle: Int64 = 1800
  public static let rememberTTL: Int64 = 30 * 86400
  public static let maxLive = 5
  public static let sectionVersion: UInt8 = 1
  /// A successful check writes `lastSeenAt` at most this often (docs/guide.md,
  /// "Sessions": a check is a read).
  public static let refreshInterval: Int64 = 60

  // MARK: Section

  static let list = TokenList<Session>(
    tag: .sessions, what: "sessions", decode: { try decode(&$0) }, encode: { encode($0, &$1) }, violation: violation)

  /// The sessions as stored (may include dead ones); [] when the user has none.
  public static func load(_ user: User) throws -> [Session] { try list.load(user) }

  /// Replaces the user's sessions; an empty list removes the section. A list `load`
  /// would refuse (bad id, duplicate id, ...) is a programming error and traps.
  public static func store(_ sessions: [Session], into user: inout User) { list.store(sessions, into: &user) }

  // MARK: Rules

  /// Checks what a session would record about the client before anything else happens
  /// (the CLI calls it before verifying a code): ip and user agent at most 1024 bytes
  /// without control characters, device name as `Devices.validateName`. Throws
  /// `AccountsError.invalidParameter`; the message never repeats the value.
  public static func validateMetadata(ip: String?, userAgent: String?, deviceName: String?) throws {
    if let p = TokenRecords.metadataProblem(ip) { throw AccountsError.invalidParameter("ip " + p) }
    if let p = TokenRecords.metadataProblem(userAgent) { throw AccountsError.invalidParameter("user agent " + p) }
    if let name = deviceName, let p = TokenRecords.nameProblem(name) {
      throw AccountsError.invalidParameter("device name " + p)
    }
  }

  /// Creates a session: ttl default 24 h (30 d with remember), idle default 30 min (none
  /// with remember unless `idle` given). Prunes dead sessions first; if 5 live remain,
  /// the oldest (by createdAt) are revoked so that at most 5 are live after adding.
  /// Returns the token (shown once; Token.generate(.session)), the session, and the
  /// sessions evicted (for the audit; dead ones pruned on the way are not in it).
  /// Throws `AccountsError.invalidParameter` for a ttl or idle timeout that is not
  /// positive or bad metadata (see `validateMetadata`), with the user unchanged.
  /// Empty ip / user agent strings are recorded as absent.
  public static func create(
    _ user: inout User, key: SecureBytes, now: Int64, ttl: Int64? = nil, idle: Int64? = nil, remember: Bool = false,
    ip: String? = nil, userAgent: String? = nil, deviceName: String? = nil
  ) throws -> (token: String, session: Session, evicted: [Session]) {
    if let ttl = ttl, ttl <= 0 { throw AccountsError.invalidParameter("session lifetime must be positive") }
    if let idle = idle, idle <= 0 { throw AccountsError.invalidParameter("idle timeout must be positive") }
    try validateMetadata(ip: ip, userAgent: userAgent, deviceName: deviceName)
    let token = Token.generate(.session)
    let (session, evicted) = try list.add(to: &user, now: now, maxCount: maxLive) { id in
      Session(
        id: id, tokenHash: Token.hash(token, key: key), createdAt: now, lastSeenAt: now,
        expiresAt: TokenRecords.add(now, ttl ?? (remember ? rememberTTL : defaultTTL)),
        idleTimeout: idle ?? (remember ? nil : defaultIdle), remember: remember, ip: TokenRecords.nonEmpty(ip),
        userAgent: TokenRecords.nonEmpty(userAgent), deviceName: deviceName)
    }
    return (token, session, evicted)
  }

  /// The live session with this token hash (compared in constant time with every stored
  /// hash), as stored; nil if none or dead (or the section does not decode). Changes
  /// nothing: `sessions check` reads, and writes only when `needsRefresh` says so.
  public static func find(_ user: User, tokenHash: [UInt8], now: Int64) -> Session? {
    list.find(user, tokenHash: tokenHash, now: now)
  }

  /// The live session with this token hash (compared in constant time with every stored
  /// hash), with lastSeenAt moved to `now` (sliding idle timeout); nil if none or dead.
  /// Dead sessions are pruned as a side effect. A section that does not decode matches
  /// nothing and is left as it is.
  public static func check(_ user: inout User, tokenHash: [UInt8], now: Int64) -> Session? {
    list.check(&user, tokenHash: tokenHash, now: now) { $0.lastSeenAt = max($0.lastSeenAt, now) }
  }

  /// Removes the dead sessions and returns them (a section that does not decode is left
  /// as it is, and [] returned).
  @discardableResult
  public static func prune(_ user: inout User, now: Int64) -> [Session] { list.prune(&user, now: now) }

  /// Removes the session with this id (live or not); throws `SessionsError.notFound`.
  @discardableResult
  public static func revoke(_ user: inout User, id: String) throws -> Session {
    guard let s = try list.revoke(&user, id: id) else { throw SessionsError.notFound(id) }
    return s
  }

  /// Removes every session ("log out everywhere") and returns them, dead ones included.
  /// A section that does not decode is removed too (nothing in it can be trusted), and
  /// [] returned.
  @discardableResult
  public static func revokeAll(_ user: inout User) -> [Session] { list.revokeAll(&user) }

  // MARK: Encoding

  static func violation(_ list: [Session]) -> String? {
    if list.count > Int(UInt16.max) { return "too many sessions" }
    for i in list.indices {
      let s = list[i]
      if !TokenRecords.isID(s.id) { return "session id must be 8 lowercase hex characters" }
      for j in 0..<i where list[j].id == s.id { return "duplicate session id" }
      if s.tokenHash.count != 32 { return "token hash must be 32 bytes" }
      if let idle = s.idleTimeout, idle <= 0 { return "idle timeout must be positive" }
      if let p = TokenRecords.metadataProblem(s.ip) { return "ip " + p }
      if let p = TokenRecords.metadataProblem(s.userAgent) { return "user agent " + p }
      if let name = s.deviceName, let p = TokenRecords.nameProblem(name) { return "device name " + p }
    }
    return nil
  }

  static func encode(_ list: [Session], _ w: inout ByteWriter) {
    guard !list.isEmpty else { return }
    w.u8(sectionVersion)
    w.u16(UInt16(list.count))
    for s in list {
      w.string(s.id)
      w.raw(s.tokenHash)
      w.i64(s.createdAt)
      w.i64(s.lastSeenAt)
      w.i64(s.expiresAt)
      w.optional(s.idleTimeout) { $0.i64($1) }
      w.bool(s.remember)
      w.optional(s.ip) { $0.string($1) }
      w.optional(s.userAgent) { $0.string($1) }
      w.optional(s.deviceName) { $0.string($1) }
    }
  }

  static func decode(_ r: inout ByteReader) throws -> [Session] {
    let v = try r.u8()
    guard v == sectionVersion else {
      throw DecodeError("unsupported sessions section version \(v) (this build reads version \(sectionVersion))")
    }
    let count = Int(try r.u16())
    guard count > 0 else { throw DecodeError("empty sessions section") }
    // Each session takes at least 4 + 8 + 32 + 24 + 1 + 1 + 3 = 73 bytes.
    guard count <= r.remaining / 73 else { throw DecodeError("truncated data") }
    var list: [Session] = []
    list.reserveCapacity(count)
    for _ in 0..<count {
      let id = try TokenRecords.readID(&r, "session")
      guard !list.contains(where: { $0.id == id }) else { throw DecodeError("duplicate session id") }
      let hash = try r.raw(32)
      let createdAt = try r.i64()
      let lastSeenAt = try r.i64()
      let expiresAt = try r.i64()
      let idle = try r.optional { try $0.i64() }
      if let idle = idle, idle <= 0 { throw DecodeError("non-positive session idle timeout") }
      let remember = try r.bool()
      let ip = try TokenRecords.readMetadata(&r, "session ip")
      let userAgent = try TokenRecords.readMetadata(&r, "session user agent")
      let deviceName = try r.optional { try TokenRecords.readName(r: &$0, "session device name") }
      list.append(
        Session(
          id: id, tokenHash: hash, createdAt: createdAt, lastSeenAt: lastSeenAt, expiresAt: expiresAt,
          idleTimeout: idle, remember: remember, ip: ip, userAgent: userAgent, deviceName: deviceName))
    }
    return list
  }
}
