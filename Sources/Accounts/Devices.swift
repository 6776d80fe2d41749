// Trusted devices of a user (`devices trust | check | list | revoke`, `verify
// --trust-device`): pure rules over the user record, no I/O. A device token (`mfad_` +
// URL-safe base64 of 32 random bytes, Token.generate) is shown once; only its keyed hash
// is kept.
//
// Extension section 2 (ExtensionTag.devices), version 1. Little-endian, field types as
// in UserCodec.swift (str = u32 length + UTF-8 bytes; opt = u8 0 absent | u8 1 then the
// value):
//
//   u8   version = 1
//   u16  device count (1...65535), then each device, oldest first:
//        str  id             8 lowercase hex characters, unique within the user
//        str  name           1...64 characters (Unicode scalars), no control
//                            characters, not blank
//        u8[32] tokenHash    BLAKE2b-256 of the token's UTF-8 bytes, keyed with the
//                            vault's token subkey (Token.hash); the token is never stored
//        i64  createdAt      Unix seconds
//        opt  i64 lastUsedAt the last successful check
//        i64  expiresAt      end of the trust
//        opt  str ip           0...1024 bytes, no control characters
//        opt  str userAgent    0...1024 bytes, no control characters
//
// "Control characters" (here and in Sessions.swift): U+0000-001F, U+007F-009F, U+061C,
// U+200E-200F, U+2028-2029, U+202A-202E and U+2066-2069.
//
// A user without trusted devices has no section (an empty list is never written). A
// reader rejects (DecodeError) any other version, a zero count, a bad optional marker,
// an id that is not 8 lowercase hex characters, a duplicate id, a string breaking its
// rule (invalid UTF-8 included), truncated data and trailing bytes.
//
// A device is live at `now` while `now < expiresAt`. Expired devices are dropped on
// every write that knows the time (trust, a check that writes, prune) and never returned
// by check. A successful check moves `lastUsedAt` only once it is a minute old.
import Sodium
import Vault

public struct TrustedDevice: Equatable, TokenRecord {
  /// 8 lowercase hex characters, unique within the user.
  public var id: String
  public var name: String
  /// Token.hash of the token (32 bytes).
  public var tokenHash: [UInt8]
  public var createdAt: Int64
  public var lastUsedAt: Int64?
  public var expiresAt: Int64
  public var ip: String?
  public var userAgent: String?

  public init(
    id: String, name: String, tokenHash: [UInt8], createdAt: Int64, lastUsedAt: Int64? = nil, expiresAt: Int64,
    ip: String? = nil, userAgent: String? = nil
  ) {
    self.id = id
    self.name = name
    self.tokenHash = tokenHash
    self.createdAt = createdAt
    self.lastUsedAt = lastUsedAt
    self.expiresAt = expiresAt
    self.ip = ip
    self.userAgent = userAgent
  }

  /// `now < expiresAt`.
  public func isLive(at now: Int64) -> Bool { now < expiresAt }

  /// Whether a successful check at `now` must write the vault to move `lastUsedAt`: it
  /// was never used, or its stored last use is `Devices.refreshInterval` old.
  public func needsRefresh(at now: Int64) -> Bool {
    guard let last = lastUsedAt else { return true }
    return now > last && now - last >= Devices.refreshInterval
  }
}

/// `revoke` of an id the user has no trusted device with (exit 66).
public enum DevicesError: Error, Equatable, CustomStringConvertible {
  /// The payload is the id as given; the message echoes it only when it has the shape of
  /// an id (so a token pasted by mistake never reaches a terminal or log).
  case notFound(String)

  public var description: String {
    switch self {
    case .notFound(let id): return "trusted device not found: " + TokenRecords.describeID(id)
    }
  }
}

public enum Devices {
  public static let defaultTTL: Int64 = 30 * 86400
  public static let maxPerUser = 10
  public static let sectionVersion: UInt8 = 1
  /// A successful check writes `lastUsedAt` at most this often (docs/guide.md,
  /// "Sessions": a check is a read).
  public static let refreshInterval: Int64 = 60

  // MARK: Section

  static let list = TokenList<TrustedDevice>(
    tag: .devices, what: "devices", decode: { try decode(&$0) }, encode: { encode($0, &$1) }, violation: violation)

  /// The devices as stored (may include expired ones); [] when the user has none.
  public static func load(_ user: User) throws -> [TrustedDevice] { try list.load(user) }

  /// Replaces the user's devices; an empty list removes the section. A list `load` would
  /// refuse (bad id or name, duplicate id, ...) is a programming error and traps.
  public static func store(_ devices: [TrustedDevice], into user: inout User) { list.store(devices, into: &user) }

  // MARK: Rules

  /// A device name: 1 to 64 characters (Unicode scalars), no control characters, not
  /// blank. Throws `AccountsError.invalidParameter`; the message never repeats the name.
  public static func validateName(_ name: String) throws {
    if let p = TokenRecords.nameProblem(name) { throw AccountsError.invalidParameter("device name " + p) }
  }

  /// Trusts a device: ttl default 30 d. Prunes expired devices first; with 10 left, the
  /// oldest (by createdAt) is evicted so that at most 10 exist after adding, and returned
  /// (for the audit; expired ones pruned on the way are not in it). Throws
  /// `AccountsError.invalidParameter` for a bad name, a ttl that is not positive or bad
  /// ip / user agent (`Sessions.validateMetadata`), with the user unchanged. Empty ip /
  /// user agent strings are recorded as absent.
  public static func trust(
    _ user: inout User, name: String, key: SecureBytes, now: Int64, ttl: Int64? = nil, ip: String? = nil,
    userAgent: String? = nil
  ) throws -> (token: String, device: TrustedDevice, evicted: [TrustedDevice]) {
    try validateName(name)
    if let ttl = ttl, ttl <= 0 { throw AccountsError.invalidParameter("device trust lifetime must be positive") }
    try Sessions.validateMetadata(ip: ip, userAgent: userAgent, deviceName: nil)
    let token = Token.generate(.device)
    let (device, evicted) = try list.add(to: &user, now: now, maxCount: maxPerUser) { id in
      TrustedDevice(
        id: id, name: name, tokenHash: Token.hash(token, key: key), createdAt: now, lastUsedAt: nil,
        expiresAt: TokenRecords.add(now, ttl ?? defaultTTL), ip: TokenRecords.nonEmpty(ip),
        userAgent: TokenRecords.nonEmpty(userAgent))
    }
    return (token, device, evicted)
  }

  /// The live device with this token hash (compared in constant time with every stored
  /// hash), as stored; nil if none or expired (or the section does not decode). Changes
  /// nothing: `devices check` reads, and writes only when `needsRefresh` says so.
  public static func find(_ user: User, tokenHash: [UInt8], now: Int64) -> TrustedDevice? {
    list.find(user, tokenHash: tokenHash, now: now)
  }

  /// The live device with this token hash (compared in constant time with every stored
  /// hash), with lastUsedAt set to `now`; nil if none or expired. Expired devices are
  /// pruned as a side effect. A section that does not decode matches nothing and is
  /// left as it is.
  public static func check(_ user: inout User, tokenHash: [UInt8], now: Int64) -> TrustedDevice? {
    list.check(&user, tokenHash: tokenHash, now: now) { $0.lastUsedAt = max($0.lastUsedAt ?? now, now) }
  }

  /// Removes the expired devices and returns them (a section that does not decode is
  /// left as it is, and [] returned).
  @discardableResult
  public static func prune(_ user: inout User, now: Int64) -> [TrustedDevice] { list.prune(&user, now: now) }

  /// Removes the device with this id (expired or not); throws `DevicesError.notFound`.
  @discardableResult
  public static func revoke(_ user: inout User, id: String) throws -> TrustedDevice {
    guard let d = try list.revoke(&user, id: id) else { throw DevicesError.notFound(id) }
    return d
  }

  /// Removes every device and returns them, expired ones included. A section that does
  /// not decode is removed too (nothing in it can be trusted), and [] returned.
  @discardableResult
  public static func revokeAll(_ user: inout User) -> [TrustedDevice] { list.revokeAll(&user) }

  // MARK: Encoding

  static func violation(_ list: [TrustedDevice]) -> String? {
    if list.count > Int(UInt16.max) { return "too many devices" }
    for i in list.indices {
      let d = list[i]
      if !TokenRecords.isID(d.id) { return "device id must be 8 lowercase hex characters" }
      for j in 0..<i where list[j].id == d.id { return "duplicate device id" }
      if let p = TokenRecords.nameProblem(d.name) { return "device name " + p }
      if d.tokenHash.count != 32 { return "token hash must be 32 bytes" }
      if let p = TokenRecords.metadataProblem(d.ip) { return "ip " + p }
      if let p = TokenRecords.metadataProblem(d.userAgent) { return "user agent " + p }
    }
    return nil
  }

  static func encode(_ list: [TrustedDevice], _ w: inout ByteWriter) {
    guard !list.isEmpty else { return }
    w.u8(sectionVersion)
    w.u16(UInt16(list.count))
    for d in list {
      w.string(d.id)
      w.string(d.name)
      w.raw(d.tokenHash)
      w.i64(d.createdAt)
      w.optional(d.lastUsedAt) { $0.i64($1) }
      w.i64(d.expiresAt)
      w.optional(d.ip) { $0.string($1) }
      w.optional(d.userAgent) { $0.string($1) }
    }
  }

  static func decode(_ r: inout ByteReader) throws -> [TrustedDevice] {
    let v = try r.u8()
    guard v == sectionVersion else {
      throw DecodeError("unsupported devices section version \(v) (this build reads version \(sectionVersion))")
    }
    let count = Int(try r.u16())
    guard count > 0 else { throw DecodeError("empty devices section") }
    // Each device takes at least 12 + 5 + 32 + 8 + 1 + 8 + 2 = 68 bytes.
    guard count <= r.remaining / 68 else { throw DecodeError("truncated data") }
    var list: [TrustedDevice] = []
    list.reserveCapacity(count)
    for _ in 0..<count {
      let id = try TokenRecords.readID(&r, "device")
      guard !list.contains(where: { $0.id == id }) else { throw DecodeError("duplicate device id") }
      let name = try TokenRecords.readName(r: &r, "device name")
      let hash = try r.raw(32)
      let createdAt = try r.i64()
      let lastUsedAt = try r.optional { try $0.i64() }
      let expiresAt = try r.i64()
      let ip = try TokenRecords.readMetadata(&r, "device ip")
      let userAgent = try TokenRecords.readMetadata(&r, "device user agent")
      list.append(
        TrustedDevice(
          id: id, name: name, tokenHash: hash, createdAt: createdAt, lastUsedAt: lastUsedAt, expiresAt: expiresAt,
          ip: ip, userAgent: userAgent))
    }
    return list
  }
}
