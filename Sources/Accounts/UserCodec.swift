// Binary record of one user (the plaintext the vault encrypts). Little-endian, fields in
// a fixed order, no self-description: the leading version byte says which layout
// follows. docs/FORMAT.md copies this layout; change both together and bump the version.
//
// Record format version 1:
//
//   u8   version = 1
//   str  name            (u32 length + UTF-8; must pass the user-name rule)
//   str  id              (16 lowercase hex characters)
//   i64  createdAt
//   bool disabled        (u8 0 or 1)
//   u32  failures
//   opt  i64 lockedUntil (opt = u8 0 absent | u8 1 then the value)
//   opt  i64 lastSuccessAt
//   u16  authenticator count, then each authenticator:
//        str  id            (8 lowercase hex characters, unique within the user)
//        opt  str label
//        opt  str issuer
//        u8   type          1 = TOTP, 2 = HOTP
//        u8   algorithm     1 = SHA1, 2 = SHA256, 3 = SHA512
//        u8   digits        6 or 8
//        u32  period        1...86400
//        bytes secret       (u32 length + bytes; 10...1024 bytes)
//        u8   state         0 = pending, 1 = active
//        i64  createdAt
//        opt  i64 confirmedAt
//        opt  i64 lastUsedAt
//        opt  u64 lastStep
//        i32  drift         -40...40
//        u64  counter
//   u16  extension count, then each extension, tags strictly increasing:
//        u16  tag
//        bytes data         (u32 length + bytes)
//
// A reader rejects (DecodeError): any other version, a bad boolean/optional marker or
// enum value, a value outside the ranges above, a duplicate authenticator id or
// extension tag, truncated data and trailing bytes. The writer refuses (traps on) a user
// it could not read back; `UserCodec.check` tells beforehand.
import OTP
import Sodium
import Vault

public enum UserCodec {
  public static let version: UInt8 = 1
  /// Upper bounds a reader enforces (also the ones enrolment enforces).
  public static let maxStringLength = 1024
  public static let maxExtensionLength = 1 << 24

  // MARK: Encoding

  /// Encodes a user. The result holds the authenticator secrets: the caller wipes it
  /// (`Sodium.wipe`) once it is sealed. The buffer is sized exactly up front so that no
  /// reallocation leaves a freed copy of a secret behind.
  ///
  /// A user that `decode` would refuse (see `check`) is a programming error here and
  /// traps: writing it would leave a record nobody can read.
  public static func encode(_ u: User) -> [UInt8] {
    if let problem = violation(u) { preconditionFailure("refusing to encode an unreadable user record: \(problem)") }
    var w = ByteWriter(capacity: encodedSize(u))
    w.u8(version)
    string(&w, u.name)
    string(&w, u.id)
    w.i64(u.createdAt)
    w.bool(u.disabled)
    w.u32(u.failures)
    optI64(&w, u.lockedUntil)
    optI64(&w, u.lastSuccessAt)
    w.u16(UInt16(truncatingIfNeeded: u.authenticators.count))
    for a in u.authenticators {
      string(&w, a.id)
      optString(&w, a.label)
      optString(&w, a.issuer)
      w.u8(typeCode(a.type))
      w.u8(algorithmCode(a.algorithm))
      w.u8(UInt8(truncatingIfNeeded: a.digits))
      w.u32(a.period)
      w.data(a.secret)
      w.u8(a.state.rawValue)
      w.i64(a.createdAt)
      optI64(&w, a.confirmedAt)
      optI64(&w, a.lastUsedAt)
      if let v = a.lastStep {
        w.u8(1)
        w.u64(v)
      } else {
        w.u8(0)
      }
      w.i32(a.drift)
      w.u64(a.counter)
    }
    w.u16(UInt16(truncatingIfNeeded: u.extensions.count))
    if u.extensions.count == 1, let (tag, data) = u.extensions.first {
      w.u16(tag)
      w.data(data)
    } else {
      for (tag, data) in u.extensions.sorted(by: { $0.key < $1.key }) {
        w.u16(tag)
        w.data(data)
      }
    }
    return w.bytes
  }

  // Non-generic stand-ins for ByteWriter/ByteReader.optional: the generic versions are
  // not specialisable across the module boundary, and their metadata look-ups took a
  // third of the time of a round trip.

  @inline(__always)
  private static func optI64(_ w: inout ByteWriter, _ v: Int64?) {
    if let v = v {
      w.u8(1)
      w.i64(v)
    } else {
      w.u8(0)
    }
  }

  @inline(__always)
  private static func optString(_ w: inout ByteWriter, _ v: String?) {
    if let v = v {
      w.u8(1)
      string(&w, v)
    } else {
      w.u8(0)
    }
  }

  /// Reads an optional's presence byte (0 absent, 1 present, anything else corrupt).
  @inline(__always)
  private static func present(_ r: inout ByteReader) throws -> Bool {
    switch try r.u8() {
    case 0: return false
    case 1: return true
    default: throw DecodeError("invalid optional marker")
    }
  }

  /// `ByteWriter.string` without its intermediate copy of the UTF-8 bytes.
  @inline(__always)
  private static func string(_ w: inout ByteWriter, _ s: String) {
    var s = s
    s.withUTF8 { utf8 in
      w.u32(UInt32(utf8.count))
      w.raw(UnsafeRawBufferPointer(utf8))
    }
  }

  /// Throws `AccountsError.invalidParameter` for a user that breaks a rule `decode`
  /// enforces (so `encode` would trap on it): name, ids, parameter ranges, lengths.
  public static func check(_ u: User) throws {
    if let problem = violation(u) { throw AccountsError.invalidParameter(problem) }
  }

  static func violation(_ u: User) -> String? {
    if !UserName.isValid(u.name) { return "invalid user name" }
    if !isHexID(u.id, count: 16) { return "user id must be 16 lowercase hex characters" }
    if u.authenticators.count > Int(UInt16.max) { return "too many authenticators" }
    let list = u.authenticators
    for i in list.indices {
      if !isHexID(list[i].id, count: 8) { return "authenticator id must be 8 lowercase hex characters" }
      for j in 0..<i where list[j].id == list[i].id { return "duplicate authenticator id \(list[i].id)" }
      if (list[i].label?.utf8.count ?? 0) > maxStringLength { return "label longer than \(maxStringLength) bytes" }
      if (list[i].issuer?.utf8.count ?? 0) > maxStringLength { return "issuer longer than \(maxStringLength) bytes" }
      if list[i].digits != 6 && list[i].digits != 8 { return "digits must be 6 or 8" }
      if !Enrolment.periodRange.contains(list[i].period) { return "period must be 1 to 86400 seconds" }
      if list[i].secret.count < Enrolment.minSecretLength || list[i].secret.count > Enrolment.maxSecretLength {
        return "secret must be \(Enrolment.minSecretLength) to \(Enrolment.maxSecretLength) bytes"
      }
      if Int64(list[i].drift).magnitude > UInt64(Verifier.maxDrift) {
        return "drift beyond ±\(Verifier.maxDrift) steps"
      }
      if list[i].counter > HOTP.maxCounter { return "HOTP counter above \(HOTP.maxCounter)" }
    }
    if u.extensions.count > Int(UInt16.max) { return "too many extensions" }
    for (tag, data) in u.extensions where data.count > maxExtensionLength {
      return "extension \(tag) longer than \(maxExtensionLength) bytes"
    }
    return nil
  }

  private static func isHexID(_ s: String, count: Int) -> Bool {
    guard s.utf8.count == count else { return false }
    for b in s.utf8 where !isLowerHex(b) { return false }
    return true
  }

  /// The exact length of `encode(u)`.
  public static func encodedSize(_ u: User) -> Int {
    @inline(__always) func str(_ s: String) -> Int { 4 + s.utf8.count }
    @inline(__always) func optStr(_ s: String?) -> Int { 1 + (s.map(str) ?? 0) }
    @inline(__always) func opt64<T>(_ v: T?) -> Int { v == nil ? 1 : 9 }
    var n = 1 + str(u.name) + str(u.id) + 8 + 1 + 4 + opt64(u.lockedUntil) + opt64(u.lastSuccessAt) + 2
    for a in u.authenticators {
      n += str(a.id) + optStr(a.label) + optStr(a.issuer) + 3 + 4 + 4 + a.secret.count + 1 + 8
      n += opt64(a.confirmedAt) + opt64(a.lastUsedAt) + opt64(a.lastStep) + 4 + 8
    }
    n += 2
    for (_, data) in u.extensions { n += 2 + 4 + data.count }
    return n
  }

  // MARK: Decoding

  public static func decode(_ bytes: [UInt8]) throws -> User {
    try bytes.withUnsafeBytes { try decode($0) }
  }

  public static func decode(_ bytes: UnsafeRawBufferPointer) throws -> User {
    var r = ByteReader(bytes)
    let v = try r.u8()
    guard v == version else {
      throw DecodeError("unsupported user record version \(v) (this build reads version \(version))")
    }
    let name = try asciiString(&r, limit: UserName.maxLength, "user name") { UserName.isAllowed($0) }
    guard name.utf8.first != UInt8(ascii: "-") else { throw DecodeError("invalid user name in user record") }
    let id = try asciiString(&r, count: 16, "user id", isLowerHex)
    var user = User(name: name, id: id, createdAt: try r.i64())
    user.disabled = try r.bool()
    user.failures = try r.u32()
    user.lockedUntil = try present(&r) ? try r.i64() : nil
    user.lastSuccessAt = try present(&r) ? try r.i64() : nil

    let count = Int(try r.u16())
    // Every authenticator takes at least 50 bytes; refuse counts the data cannot hold
    // before reserving memory for them.
    guard count <= r.remaining / 50 else { throw DecodeError("truncated data") }
    user.authenticators.reserveCapacity(count)
    for _ in 0..<count {
      let a = try decodeAuthenticator(&r)
      if user.authenticators.contains(where: { $0.id == a.id }) {
        throw DecodeError("duplicate authenticator id in user record")
      }
      user.authenticators.append(a)
    }

    let extCount = Int(try r.u16())
    guard extCount <= r.remaining / 6 else { throw DecodeError("truncated data") }
    var previous: Int = -1
    for _ in 0..<extCount {
      let tag = try r.u16()
      guard Int(tag) > previous else { throw DecodeError("extension tags not in increasing order") }
      previous = Int(tag)
      user.extensions[tag] = try r.data(limit: maxExtensionLength)
    }
    try r.expectEnd()
    return user
  }

  private static func decodeAuthenticator(_ r: inout ByteReader) throws -> Authenticator {
    let id = try asciiString(&r, count: 8, "authenticator id", isLowerHex)
    let label = try present(&r) ? try r.string(limit: maxStringLength) : nil
    let issuer = try present(&r) ? try r.string(limit: maxStringLength) : nil
    let type: OTPType
    switch try r.u8() {
    case 1: type = .totp
    case 2: type = .hotp
    case let t: throw DecodeError("unknown authenticator type \(t)")
    }
    let algorithm: OTPAlgorithm
    switch try r.u8() {
    case 1: algorithm = .sha1
    case 2: algorithm = .sha256
    case 3: algorithm = .sha512
    case let a: throw DecodeError("unknown algorithm \(a)")
    }
    let digits = Int(try r.u8())
    guard digits == 6 || digits == 8 else { throw DecodeError("invalid digits \(digits)") }
    let period = try r.u32()
    guard Enrolment.periodRange.contains(period) else { throw DecodeError("invalid period \(period)") }
    let secret = try r.data(limit: Enrolment.maxSecretLength)
    guard secret.count >= Enrolment.minSecretLength else { throw DecodeError("secret too short") }
    guard let state = AuthenticatorState(rawValue: try r.u8()) else {
      throw DecodeError("unknown authenticator state")
    }
    let createdAt = try r.i64()
    let confirmedAt = try present(&r) ? try r.i64() : nil
    let lastUsedAt = try present(&r) ? try r.i64() : nil
    let lastStep = try present(&r) ? try r.u64() : nil
    let drift = try r.i32()
    guard Int64(drift).magnitude <= UInt64(Verifier.maxDrift) else { throw DecodeError("drift out of range") }
    let counter = try r.u64()
    // Writers never store more (docs/security.md, "Arguments (argv)": 0 <= counter <
    // 2^63); a larger value is damage, and the counter arithmetic and the JSON output
    // rely on the bound.
    guard counter <= HOTP.maxCounter else { throw DecodeError("HOTP counter out of range") }
    return Authenticator(
      id: id, label: label, issuer: issuer, type: type, algorithm: algorithm, digits: digits, period: period,
      secret: secret, state: state, createdAt: createdAt, confirmedAt: confirmedAt, lastUsedAt: lastUsedAt,
      lastStep: lastStep, drift: drift, counter: counter)
  }

  // MARK: Helpers

  static func typeCode(_ t: OTPType) -> UInt8 {
    switch t {
    case .totp: return 1
    case .hotp: return 2
    }
  }

  static func algorithmCode(_ a: OTPAlgorithm) -> UInt8 {
    switch a {
    case .sha1: return 1
    case .sha256: return 2
    case .sha512: return 3
    }
  }

  @inline(__always)
  static func isLowerHex(_ b: UInt8) -> Bool {
    (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(b)
  }

  /// A length-prefixed string of 1...limit bytes (or exactly `count`), each accepted by
  /// `allowed` (all ASCII), read without the generic UTF-8 validation of
  /// `ByteReader.string` (a quarter of the decoding time).
  private static func asciiString(
    _ r: inout ByteReader, limit: Int = 0, count: Int? = nil, _ what: String, _ allowed: (UInt8) -> Bool
  ) throws -> String {
    let n = Int(try r.u32())
    guard n >= 1, n <= (count ?? limit), count == nil || n == count else {
      throw DecodeError("invalid \(what) in user record")
    }
    let bytes = try r.raw(n)
    for b in bytes where !allowed(b) { throw DecodeError("invalid \(what) in user record") }
    return String(decoding: bytes, as: UTF8.self)
  }
}
