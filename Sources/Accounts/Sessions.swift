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

public struct Session: Equatable {
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
  /// A successful check writes `lastSeenAt` at most this often (SPEC: a check is a read).
  public static let refreshInterval: Int64 = 60

  // MARK: Section

  /// The sessions as stored (may include dead ones); [] when the user has none.
  public static func load(_ user: User) throws -> [Session] {
    try user.section(.sessions) { r in try decode(&r) } ?? []
  }

  /// Replaces the user's sessions; an empty list removes the section. A list `load`
  /// would refuse (bad id, duplicate id, ...) is a programming error and traps.
  public static func store(_ sessions: [Session], into user: inout User) {
    if let problem = violation(sessions) { preconditionFailure("refusing to store unreadable sessions: \(problem)") }
    user.setSection(.sessions) { w in encode(sessions, &w) }
  }

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
    var list = try load(user)

    list.removeAll { !$0.isLive(at: now) }
    var evicted: [Session] = []
    while list.count >= maxLive {
      evicted.append(list.remove(at: TokenRecords.oldest(list.map { $0.createdAt })))
    }

    let token = Token.generate(.session)
    let session = Session(
      id: TokenRecords.newID(taken: list.map { $0.id }), tokenHash: Token.hash(token, key: key), createdAt: now,
      lastSeenAt: now, expiresAt: TokenRecords.add(now, ttl ?? (remember ? rememberTTL : defaultTTL)),
      idleTimeout: idle ?? (remember ? nil : defaultIdle), remember: remember, ip: TokenRecords.nonEmpty(ip),
      userAgent: TokenRecords.nonEmpty(userAgent), deviceName: deviceName)
    list.append(session)
    store(list, into: &user)
    return (token, session, evicted)
  }

  /// The live session with this token hash (compared in constant time with every stored
  /// hash), as stored; nil if none or dead (or the section does not decode). Changes
  /// nothing: `sessions check` reads, and writes only when `needsRefresh` says so.
  public static func find(_ user: User, tokenHash: [UInt8], now: Int64) -> Session? {
    guard let list = try? load(user), let i = matching(list.map { $0.tokenHash }, tokenHash) else { return nil }
    return list[i].isLive(at: now) ? list[i] : nil
  }

  /// The index of the first hash equal to `hash`, every one compared in constant time.
  static func matching(_ hashes: [[UInt8]], _ hash: [UInt8]) -> Int? {
    var match: Int? = nil
    for i in hashes.indices {
      let equal = Sodium.constantTimeEqual(hashes[i], hash)
      if equal && match == nil { match = i }
    }
    return match
  }

  /// The live session with this token hash (compared in constant time with every stored
  /// hash), with lastSeenAt moved to `now` (sliding idle timeout); nil if none or dead.
  /// Dead sessions are pruned as a side effect. A section that does not decode matches
  /// nothing and is left as it is.
  public static func check(_ user: inout User, tokenHash: [UInt8], now: Int64) -> Session? {
    guard var list = try? load(user) else { return nil }
    let match = matching(list.map { $0.tokenHash }, tokenHash)
    var found: Session? = nil
    if let i = match, list[i].isLive(at: now) {
      list[i].lastSeenAt = max(list[i].lastSeenAt, now)
      found = list[i]
    }
    list.removeAll { !$0.isLive(at: now) }
    store(list, into: &user)
    return found
  }

  /// Removes the dead sessions and returns them (a section that does not decode is left
  /// as it is, and [] returned).
  @discardableResult
  public static func prune(_ user: inout User, now: Int64) -> [Session] {
    guard let list = try? load(user) else { return [] }
    let dead = list.filter { !$0.isLive(at: now) }
    if !dead.isEmpty { store(list.filter { $0.isLive(at: now) }, into: &user) }
    return dead
  }

  /// Removes the session with this id (live or not); throws `SessionsError.notFound`.
  @discardableResult
  public static func revoke(_ user: inout User, id: String) throws -> Session {
    var list = try load(user)
    guard let i = list.firstIndex(where: { $0.id == id }) else { throw SessionsError.notFound(id) }
    let s = list.remove(at: i)
    store(list, into: &user)
    return s
  }

  /// Removes every session ("log out everywhere") and returns them, dead ones included.
  /// A section that does not decode is removed too (nothing in it can be trusted), and
  /// [] returned.
  @discardableResult
  public static func revokeAll(_ user: inout User) -> [Session] {
    let list = (try? load(user)) ?? []
    user.extensions[ExtensionTag.sessions.rawValue] = nil
    return list
  }

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

/// What sessions and trusted devices share: ids, text rules, saturating time arithmetic.
enum TokenRecords {
  static let maxMetadataBytes = UserCodec.maxStringLength
  static let maxNameLength = 64

  static func isID(_ s: String) -> Bool {
    s.utf8.count == 8 && s.utf8.allSatisfy(UserCodec.isLowerHex)
  }

  /// A fresh random id, different from every id in `taken`.
  static func newID(taken: [String]) -> String {
    while true {
      let id = Sodium.randomHex(4)
      if !taken.contains(id) { return id }
    }
  }

  /// How an error message may show an id that was given to it.
  static func describeID(_ id: String) -> String {
    if isID(id) { return id }
    if id.hasPrefix(Token.Kind.session.rawValue) || id.hasPrefix(Token.Kind.device.rawValue) {
      return "expected an id of 8 hex characters, not a token"
    }
    return "not an id (8 lowercase hex characters)"
  }

  /// Index of the smallest createdAt (the first one on ties). `times` is not empty.
  static func oldest(_ times: [Int64]) -> Int {
    var k = 0
    for i in times.indices where times[i] < times[k] { k = i }
    return k
  }

  /// a + b, saturating at Int64.max / Int64.min.
  static func add(_ a: Int64, _ b: Int64) -> Int64 {
    let (v, overflow) = a.addingReportingOverflow(b)
    return overflow ? (b > 0 ? Int64.max : Int64.min) : v
  }

  static func nonEmpty(_ s: String?) -> String? {
    guard let s = s, !s.isEmpty else { return nil }
    return s
  }

  /// Control characters (C0, DEL, C1), line and paragraph separators and the bidi
  /// embedding/override/isolate controls: whatever could rewrite a terminal line or
  /// disguise one text as another in `list` output.
  static func isForbidden(_ c: Unicode.Scalar) -> Bool {
    switch c.value {
    case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C:
      return true
    default:
      return false
    }
  }

  /// Why an ip or user agent is not acceptable (nil: it is).
  static func metadataProblem(_ s: String?) -> String? {
    guard let s = s else { return nil }
    if s.utf8.count > maxMetadataBytes { return "longer than \(maxMetadataBytes) bytes" }
    if s.unicodeScalars.contains(where: isForbidden) { return "contains control characters" }
    return nil
  }

  /// Why a device name is not acceptable (nil: it is).
  static func nameProblem(_ s: String) -> String? {
    let n = s.unicodeScalars.count
    if n < 1 || n > maxNameLength { return "must be 1 to \(maxNameLength) characters" }
    if s.unicodeScalars.contains(where: isForbidden) { return "contains control characters" }
    if s.unicodeScalars.allSatisfy({ $0.properties.isWhitespace }) { return "is blank" }
    return nil
  }

  static func readID(_ r: inout ByteReader, _ what: String) throws -> String {
    let n = try r.u32()
    guard n == 8 else { throw DecodeError("invalid \(what) id") }
    let bytes = try r.raw(8)
    guard bytes.allSatisfy(UserCodec.isLowerHex) else { throw DecodeError("invalid \(what) id") }
    return String(decoding: bytes, as: UTF8.self)
  }

  static func readMetadata(_ r: inout ByteReader, _ what: String) throws -> String? {
    try r.optional { r in
      let s = try r.string(limit: maxMetadataBytes)
      if metadataProblem(s) != nil { throw DecodeError("invalid \(what)") }
      return s
    }
  }

  static func readName(r: inout ByteReader, _ what: String) throws -> String {
    let s = try r.string(limit: 4 * maxNameLength)
    if nameProblem(s) != nil { throw DecodeError("invalid \(what)") }
    return s
  }
}
