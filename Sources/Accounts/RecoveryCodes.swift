// Recovery codes: one-time codes for a user who has lost the authenticator. Pure
// functions over `inout User`; the caller passes the clock and the hashing key (the
// vault subkey `Subkey.recoveryCodes`) and persists the changed user.
//
// Rules (docs/guide.md, "Recovery codes"): 10 codes by default, each 10 characters of the
// Crockford base32 alphabet (0-9 A-Z without I L O U, 50 bits), shown upper-case as
// `XXXXX-XXXXX` only when generated; stored as keyed hashes; each works once;
// generating a new set voids the old one. Input is case-insensitive, ignores spaces and
// hyphens and reads O as 0 and I, L as 1 (Crockford decoding); U and anything else is
// malformed, and exactly 10 characters must remain. Failures share the lockout with
// OTP codes and challenge codes (Lockout.swift).
//
// Section `.recoveryCodes` (extension tag 1) of the user record, format version 1,
// little-endian:
//
//   u8   version = 1
//   i64  generatedAt      Unix seconds
//   u16  total            how many codes were generated, 1...100
//   opt  i64 lastUsedAt   (u8 0 absent | u8 1 then the value)
//   u16  count            codes still unused, 0...total
//   count × 32 bytes      the hash of each unused code (no length prefix), all distinct
//
// A used code's hash is removed; a set with every code used stays (count 0) so that
// `status` can still say how many were generated. A reader rejects (DecodeError) any
// other version, a bad optional marker, a value outside the ranges above, a duplicate
// hash, truncated data and trailing bytes.
//
// Hash of a code: BLAKE2b-256 (crypto_generichash, 32-byte output) keyed with the
// 32-byte subkey `recoveryCodes` (crypto_kdf id 6, context "mfactlv1") over
//
//   UTF-8(user id) || 0x00 || normalised code
//
// where the normalised code is the 10 upper-case ASCII characters without the hyphen.
// The user id binds a hash to its user: a section copied to another user matches none
// of the codes.
import Sodium
import Vault

public struct RecoveryCodeSet: Equatable {
  public static let version: UInt8 = 1

  /// Unix seconds.
  public var generatedAt: Int64
  /// `RecoveryCodes.hashLength` bytes each; a used code's entry is removed.
  public var hashes: [[UInt8]]
  /// How many were generated (1...`RecoveryCodes.maxCount`).
  public var total: Int
  public var lastUsedAt: Int64?

  public init(generatedAt: Int64, hashes: [[UInt8]], total: Int, lastUsedAt: Int64? = nil) {
    self.generatedAt = generatedAt
    self.hashes = hashes
    self.total = total
    self.lastUsedAt = lastUsedAt
  }

  /// The user's set, or nil when none was ever generated. Throws DecodeError for a
  /// section that breaks the layout.
  public static func load(_ user: User) throws -> RecoveryCodeSet? {
    try user.section(.recoveryCodes) { try decode(&$0) }
  }

  /// Writes the set into `user.extensions`. A set `load` could not read back (total out
  /// of range, more hashes than total, a hash of the wrong length or a duplicate) is a
  /// programming error and traps.
  public func store(into user: inout User) {
    if let problem = violation() { preconditionFailure("refusing to store unreadable recovery codes: \(problem)") }
    user.setSection(.recoveryCodes) { w in
      w.u8(Self.version)
      w.i64(generatedAt)
      w.u16(UInt16(total))
      w.optional(lastUsedAt) { $0.i64($1) }
      w.u16(UInt16(hashes.count))
      for h in hashes { w.raw(h) }
    }
  }

  func violation() -> String? {
    if !(1...RecoveryCodes.maxCount).contains(total) { return "total out of range" }
    if hashes.count > total { return "more hashes than codes generated" }
    for i in hashes.indices {
      if hashes[i].count != RecoveryCodes.hashLength { return "hash of the wrong length" }
      for j in 0..<i where hashes[j] == hashes[i] { return "duplicate hash" }
    }
    return nil
  }

  static func decode(_ r: inout ByteReader) throws -> RecoveryCodeSet {
    let v = try r.u8()
    guard v == version else {
      throw DecodeError("unsupported recovery code section version \(v) (this build reads version \(version))")
    }
    let generatedAt = try r.i64()
    let total = Int(try r.u16())
    guard (1...RecoveryCodes.maxCount).contains(total) else { throw DecodeError("invalid recovery code total") }
    let lastUsedAt = try r.optional { try $0.i64() }
    let count = Int(try r.u16())
    guard count <= total else { throw DecodeError("more recovery code hashes than codes generated") }
    var hashes: [[UInt8]] = []
    hashes.reserveCapacity(count)
    for _ in 0..<count {
      let h = try r.raw(RecoveryCodes.hashLength)
      guard !hashes.contains(h) else { throw DecodeError("duplicate recovery code hash") }
      hashes.append(h)
    }
    return RecoveryCodeSet(generatedAt: generatedAt, hashes: hashes, total: total, lastUsedAt: lastUsedAt)
  }
}

public enum RecoveryResult: Equatable {
  /// The code matched an unused one, which is now used up; `remaining` are left. The
  /// lockout was reset.
  case accepted(remaining: Int)
  /// No unused code matched (wrong, or already used); counted as a failure.
  case rejected
  /// Refused without checking the code; the try extended the lock to `until`.
  case locked(until: Int64)
  /// The user is disabled; nothing was checked or changed.
  case disabled
  /// The user has no unused recovery code (none generated, or all used); counted as a
  /// failure (otherwise anyone could probe, uncounted, whether codes are left).
  case noCodes
  /// Not a recovery code's shape (a typo is a wrong code): counted as a failure; the
  /// payload is the rule, never the code.
  case malformed(String)
}

public enum RecoveryCodes {
  /// The rule a malformed recovery code breaks (said instead of the code).
  public static let shapeRule = "recovery code must be 10 characters of the Crockford base32 alphabet (XXXXX-XXXXX)"

  public static let defaultCount = 10
  public static let maxCount = 100
  /// `use` and `status` say so prominently at or below this many remaining codes.
  public static let lowWarning = 2
  /// Characters in a code (without the hyphen).
  public static let codeLength = 10
  public static let hashLength = 32
  /// Crockford base32: 0-9 and A-Z without I, L, O, U.
  public static let alphabet: [UInt8] = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

  /// Generates `count` (1...`maxCount`) distinct codes, stores their hashes as the
  /// user's set (voiding any previous set) and returns the codes as `XXXXX-XXXXX`. This is
  /// the only time they exist in clear. Throws `invalidParameter` for a bad count (no
  /// change).
  public static func generate(_ user: inout User, count: Int, key: SecureBytes, now: Int64) throws -> [String] {
    guard (1...maxCount).contains(count) else {
      throw AccountsError.invalidParameter("recovery code count must be 1 to \(maxCount)")
    }
    var seen = Set<String>()
    var codes: [String] = []
    var hashes: [[UInt8]] = []
    codes.reserveCapacity(count)
    hashes.reserveCapacity(count)
    while codes.count < count {
      var chars: [UInt8] = []
      chars.reserveCapacity(codeLength + 1)
      for _ in 0..<codeLength { chars.append(alphabet[Int(Sodium.randomUniform(UInt32(alphabet.count)))]) }
      let normalised = String(decoding: chars, as: UTF8.self)
      // 50 bits: a repeat is all but impossible, but a set must not hold one.
      guard seen.insert(normalised).inserted else { continue }
      hashes.append(hash(normalised, userID: user.id, key: key))
      chars.insert(UInt8(ascii: "-"), at: codeLength / 2)
      codes.append(String(decoding: chars, as: UTF8.self))
    }
    RecoveryCodeSet(generatedAt: now, hashes: hashes, total: count).store(into: &user)
    return codes
  }

  /// The canonical form of a typed code: upper-case, spaces and hyphens dropped, O read
  /// as 0 and I, L as 1. Nil unless exactly 10 characters of the alphabet remain (U and
  /// any other character make it malformed).
  public static func normalise(_ input: String) -> String? {
    var out: [UInt8] = []
    out.reserveCapacity(codeLength)
    for b in input.utf8 {
      if b == UInt8(ascii: " ") || b == UInt8(ascii: "-") { continue }
      guard out.count < codeLength, let c = canonical(b) else { return nil }
      out.append(c)
    }
    // An 8-digit google-authenticator scratch code (imported by `users import
    // google-authenticator`) is stored as "00" + its digits.
    if out.count == 8 && out.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
      out = Array("00".utf8) + out
    }
    guard out.count == codeLength else { return nil }
    return String(decoding: out, as: UTF8.self)
  }

  /// One typed character in canonical form, or nil when Crockford base32 has no such
  /// symbol.
  static func canonical(_ byte: UInt8) -> UInt8? {
    var c = byte
    if c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z") { c -= 0x20 }
    switch c {
    case UInt8(ascii: "O"): return UInt8(ascii: "0")
    case UInt8(ascii: "I"), UInt8(ascii: "L"): return UInt8(ascii: "1")
    case UInt8(ascii: "U"): return nil
    case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"): return c
    default: return nil
    }
  }

  /// BLAKE2b-256 keyed with `key` over UTF-8(userID) || 0x00 || normalised code.
  public static func hash(_ normalised: String, userID: String, key: SecureBytes) -> [UInt8] {
    var message = Array(userID.utf8)
    message.append(0)
    message.append(contentsOf: normalised.utf8)
    defer { Sodium.wipe(&message) }
    return Sodium.blake2b(message, key: key, length: hashLength)
  }

  /// Tries a recovery code. Order, as in `Verifier.verify`: a disabled user gives
  /// `.disabled`; a locked one `.locked` (refused unchecked, counted as a failure); a
  /// malformed code gives `.malformed` (a wrong code, counted as a failure); no
  /// unused code gives `.noCodes` (also a failure); then the code is compared with every stored hash in
  /// constant time, without stopping at a match. A match is used up (`lastUsedAt` set)
  /// and resets the lockout; no match is a failure.
  public static func use(_ user: inout User, code: String, key: SecureBytes, now: Int64) throws -> RecoveryResult {
    let stored = try RecoveryCodeSet.load(user)
    switch Lockout.admit(&user, now: now) {
    case .admitted: break
    case .disabled: return .disabled
    case .locked(let until): return .locked(until: until)
    }
    guard let input = normalise(code) else {
      Lockout.recordFailure(&user, now: now)
      return .malformed(shapeRule)
    }
    guard var set = stored, !set.hashes.isEmpty else {
      // Still an attempt: otherwise anyone could probe, uncounted, whether codes are left.
      Lockout.recordFailure(&user, now: now)
      return .noCodes
    }

    var candidate = hash(input, userID: user.id, key: key)
    defer { Sodium.wipe(&candidate) }
    var found = -1
    for i in set.hashes.indices {
      let equal = Sodium.constantTimeEqual(set.hashes[i], candidate)
      // Hashes are distinct, so at most one matches; keep scanning either way.
      if equal && found < 0 { found = i }
    }
    guard found >= 0 else {
      Lockout.recordFailure(&user, now: now)
      return .rejected
    }
    set.hashes.remove(at: found)
    set.lastUsedAt = now
    set.store(into: &user)
    Lockout.recordSuccess(&user, now: now)
    return .accepted(remaining: set.hashes.count)
  }

  /// Unused codes left (0 when none were ever generated).
  public static func remaining(_ user: User) throws -> Int {
    try RecoveryCodeSet.load(user)?.hashes.count ?? 0
  }
}
