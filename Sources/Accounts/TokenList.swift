// What sessions and trusted devices share: a user's list of records each holding a
// bearer token's keyed hash, in one extension section, with the same rules for lookup
// (every hash compared in constant time), expiry (dead records are dropped on each write
// that knows the time), eviction of the oldest past a maximum, revocation and ids.
// Sessions.swift and Devices.swift keep what differs: their fields, encoding, liveness.
import Sodium
import Vault

/// A record a bearer token opens.
protocol TokenRecord {
  /// 8 lowercase hex characters, unique within the user.
  var id: String { get }
  /// Token.hash of the token (32 bytes).
  var tokenHash: [UInt8] { get }
  var createdAt: Int64 { get }
  func isLive(at now: Int64) -> Bool
}

/// One kind of token record, stored as extension section `tag`.
struct TokenList<Record: TokenRecord> {
  let tag: ExtensionTag
  /// "sessions" / "devices", for the message of a refused store.
  let what: String
  let decode: (inout ByteReader) throws -> [Record]
  let encode: ([Record], inout ByteWriter) -> Void
  /// Why a list cannot be stored (a `load` would refuse it), nil when it can.
  let violation: ([Record]) -> String?

  /// The records as stored (may include dead ones); [] when the user has none.
  func load(_ user: User) throws -> [Record] {
    try user.section(tag) { r in try decode(&r) } ?? []
  }

  /// Replaces the user's records; an empty list removes the section. A list `load` would
  /// refuse is a programming error and traps.
  func store(_ list: [Record], into user: inout User) {
    if let problem = violation(list) { preconditionFailure("refusing to store unreadable \(what): \(problem)") }
    user.setSection(tag) { w in encode(list, &w) }
  }

  /// Adds the record `make` builds from a fresh id. Dead records are dropped first; then,
  /// with `maxCount` left, the oldest (by createdAt) are evicted and returned.
  func add(to user: inout User, now: Int64, maxCount: Int, _ make: (String) -> Record) throws
    -> (record: Record, evicted: [Record])
  {
    var list = try load(user)
    list.removeAll { !$0.isLive(at: now) }
    var evicted: [Record] = []
    while list.count >= maxCount {
      evicted.append(list.remove(at: TokenRecords.oldest(list.map { $0.createdAt })))
    }
    let record = make(TokenRecords.newID(taken: list.map { $0.id }))
    list.append(record)
    store(list, into: &user)
    return (record, evicted)
  }

  /// The live record with this token hash, as stored; nil if none or dead (or the
  /// section does not decode). Changes nothing.
  func find(_ user: User, tokenHash: [UInt8], now: Int64) -> Record? {
    guard let list = try? load(user), let i = Self.matching(list.map { $0.tokenHash }, tokenHash) else { return nil }
    return list[i].isLive(at: now) ? list[i] : nil
  }

  /// The live record with this token hash after `touch` (its last use moved to now); nil
  /// if none or dead. Dead records are pruned as a side effect. A section that does not
  /// decode matches nothing and is left as it is.
  func check(_ user: inout User, tokenHash: [UInt8], now: Int64, touch: (inout Record) -> Void) -> Record? {
    guard var list = try? load(user) else { return nil }
    let match = Self.matching(list.map { $0.tokenHash }, tokenHash)
    var found: Record? = nil
    if let i = match, list[i].isLive(at: now) {
      touch(&list[i])
      found = list[i]
    }
    list.removeAll { !$0.isLive(at: now) }
    store(list, into: &user)
    return found
  }

  /// Removes the dead records and returns them (a section that does not decode is left
  /// as it is, and [] returned).
  func prune(_ user: inout User, now: Int64) -> [Record] {
    guard let list = try? load(user) else { return [] }
    let dead = list.filter { !$0.isLive(at: now) }
    if !dead.isEmpty { store(list.filter { $0.isLive(at: now) }, into: &user) }
    return dead
  }

  /// Removes the record with this id (live or not); nil when there is none.
  func revoke(_ user: inout User, id: String) throws -> Record? {
    var list = try load(user)
    guard let i = list.firstIndex(where: { $0.id == id }) else { return nil }
    let r = list.remove(at: i)
    store(list, into: &user)
    return r
  }

  /// Removes every record and returns them, dead ones included. A section that does not
  /// decode is removed too (nothing in it can be trusted), and [] returned.
  func revokeAll(_ user: inout User) -> [Record] {
    let list = (try? load(user)) ?? []
    user.extensions[tag.rawValue] = nil
    return list
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
}

/// Ids, text rules and saturating time arithmetic of token records.
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
