// Thin Swift wrappers over the parts of libsodium mfactl uses. Every piece of vault
// cryptography, every random byte and every secret comparison goes through here, so
// that the rest of the code never touches a raw libsodium call.
import CSodium

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

public enum SodiumError: Error, Equatable, CustomStringConvertible {
  case initialisationFailed
  case outOfMemory
  case authenticationFailed
  case invalidLength(String)
  case kdfFailed

  public var description: String {
    switch self {
    case .initialisationFailed: return "libsodium could not be initialised"
    case .outOfMemory: return "out of memory (guarded allocation failed)"
    case .authenticationFailed: return "authentication failed"
    case .invalidLength(let what): return "invalid length for \(what)"
    case .kdfFailed: return "key derivation failed (not enough memory for the KDF?)"
    }
  }
}

/// A pointer libsodium may read zero bytes from: empty Swift buffers have no base address,
/// but the C API wants a non-null pointer even for zero-length input.
private let emptyByte: UnsafeMutablePointer<UInt8> = {
  let p = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
  p.initialize(to: 0)
  return p
}()

@inline(__always)
func bytePointer(_ b: UnsafeRawBufferPointer) -> UnsafePointer<UInt8> {
  guard let base = b.baseAddress, b.count > 0 else { return UnsafePointer(emptyByte) }
  return base.assumingMemoryBound(to: UInt8.self)
}

public enum Sodium {
  private static let initialised: Bool = sodium_init() >= 0

  /// Call before any other function here; cheap after the first call.
  public static func ensureInitialised() {
    precondition(initialised, "libsodium failed to initialise")
  }

  // MARK: Random

  public static func randomBytes(_ count: Int) -> [UInt8] {
    ensureInitialised()
    var out = [UInt8](repeating: 0, count: count)
    out.withUnsafeMutableBytes { randombytes_buf($0.baseAddress!, count) }
    return out
  }

  /// A uniformly random integer in `0 ..< upperBound` (no modulo bias).
  public static func randomUniform(_ upperBound: UInt32) -> UInt32 {
    ensureInitialised()
    return randombytes_uniform(upperBound)
  }

  /// Lowercase hex (sodium_bin2hex: constant time, so it is fine for secrets too).
  public static func hex(_ bytes: [UInt8]) -> String {
    var out = [CChar](repeating: 0, count: bytes.count * 2 + 1)
    _ = bytes.withUnsafeBufferPointer { b in
      out.withUnsafeMutableBufferPointer { o in
        sodium_bin2hex(o.baseAddress!, o.count, b.baseAddress ?? UnsafePointer(emptyByte), b.count)
      }
    }
    return String(cString: out)
  }

  /// `count` random bytes as lowercase hex.
  public static func randomHex(_ count: Int) -> String { hex(randomBytes(count)) }

  // MARK: Comparison and wiping

  /// Constant-time equality for secrets. Different lengths compare unequal (the length
  /// of a code or hash is not secret).
  public static func constantTimeEqual(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
    guard a.count == b.count else { return false }
    guard let pa = a.baseAddress, let pb = b.baseAddress else { return a.count == 0 }
    return sodium_memcmp(pa, pb, a.count) == 0
  }

  public static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    a.withUnsafeBytes { pa in b.withUnsafeBytes { pb in constantTimeEqual(pa, pb) } }
  }

  /// Overwrites a byte array with zeros in a way the optimiser cannot remove.
  public static func wipe(_ bytes: inout [UInt8]) {
    let n = bytes.count
    if n == 0 { return }
    bytes.withUnsafeMutableBytes { sodium_memzero($0.baseAddress!, n) }
  }

  /// Overwrites memory (a stack buffer, say) with zeros in a way the optimiser cannot remove.
  public static func wipe(_ buffer: UnsafeMutableRawBufferPointer) {
    guard let base = buffer.baseAddress, buffer.count > 0 else { return }
    sodium_memzero(base, buffer.count)
  }

  // MARK: BLAKE2b

  /// BLAKE2b (crypto_generichash), optionally keyed. `length` 16...64.
  public static func blake2b(_ message: [UInt8], key: SecureBytes? = nil, length: Int = 32) -> [UInt8] {
    message.withUnsafeBufferPointer { blake2b($0, key: key, length: length) }
  }

  public static func blake2b(_ message: UnsafeBufferPointer<UInt8>, key: SecureBytes? = nil, length: Int = 32)
    -> [UInt8]
  {
    ensureInitialised()
    var out = [UInt8](repeating: 0, count: length)
    let rc: Int32 = out.withUnsafeMutableBufferPointer { o in
      if let key = key {
        return key.withUnsafeBytes { k in
          crypto_generichash(
            o.baseAddress!, length, bytePointer(UnsafeRawBufferPointer(message)), UInt64(message.count),
            bytePointer(k), k.count)
        }
      }
      return crypto_generichash(
        o.baseAddress!, length, bytePointer(UnsafeRawBufferPointer(message)), UInt64(message.count), nil, 0)
    }
    precondition(rc == 0, "crypto_generichash failed")
    return out
  }

  /// Incremental keyed BLAKE2b for MACs over data that arrives in pieces.
  /// (libsodium's state is a 64-byte aligned struct Swift imports as opaque, so it lives
  /// in an aligned heap buffer.)
  public final class Blake2bState {
    private let state: UnsafeMutableRawPointer
    private let length: Int

    public init(key: SecureBytes?, length: Int = 32) {
      Sodium.ensureInitialised()
      self.length = length
      state = UnsafeMutableRawPointer.allocate(byteCount: crypto_generichash_statebytes(), alignment: 64)
      let s = OpaquePointer(state)
      if let key = key {
        key.withUnsafeBytes { k in
          _ = crypto_generichash_init(s, k.baseAddress!.assumingMemoryBound(to: UInt8.self), k.count, length)
        }
      } else {
        _ = crypto_generichash_init(s, nil, 0, length)
      }
    }

    deinit {
      sodium_memzero(state, crypto_generichash_statebytes())
      state.deallocate()
    }

    public func update(_ bytes: UnsafeRawBufferPointer) {
      if bytes.isEmpty { return }
      _ = crypto_generichash_update(
        OpaquePointer(state), bytes.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt64(bytes.count))
    }

    public func update(_ bytes: [UInt8]) {
      bytes.withUnsafeBytes { update($0) }
    }

    public func finish() -> [UInt8] {
      var out = [UInt8](repeating: 0, count: length)
      _ = out.withUnsafeMutableBufferPointer { crypto_generichash_final(OpaquePointer(state), $0.baseAddress!, length) }
      return out
    }
  }

  // MARK: Key derivation (BLAKE2b-based crypto_kdf)

  /// Derives an independent subkey from a master key (crypto_kdf_derive_from_key).
  /// `context` is exactly 8 characters.
  public static func deriveSubkey(from master: SecureBytes, id: UInt64, context: String, length: Int = 32)
    throws -> SecureBytes
  {
    ensureInitialised()
    var ctx = Array(context.utf8)
    guard ctx.count == Int(crypto_kdf_CONTEXTBYTES) else { throw SodiumError.invalidLength("kdf context") }
    guard master.count == Int(crypto_kdf_KEYBYTES) else { throw SodiumError.invalidLength("kdf master key") }
    let sub = try SecureBytes(count: length)
    let rc: Int32 = sub.withUnsafeMutableBytes { s in
      master.withUnsafeBytes { m in
        ctx.withUnsafeMutableBytes { c in
          crypto_kdf_derive_from_key(
            s.baseAddress!.assumingMemoryBound(to: UInt8.self), length, id,
            c.baseAddress!.assumingMemoryBound(to: CChar.self),
            m.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
      }
    }
    guard rc == 0 else { throw SodiumError.invalidLength("kdf subkey") }
    return sub
  }

  // MARK: AEAD: XChaCha20-Poly1305-IETF

  public static let aeadNonceLength = Int(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES)  // 24
  public static let aeadTagLength = Int(crypto_aead_xchacha20poly1305_ietf_ABYTES)  // 16
  public static let aeadKeyLength = Int(crypto_aead_xchacha20poly1305_ietf_KEYBYTES)  // 32

  /// Encrypts with a fresh random nonce. Returns `nonce || ciphertext || tag`.
  public static func seal(_ plaintext: UnsafeRawBufferPointer, additionalData: [UInt8], key: SecureBytes) -> [UInt8] {
    ensureInitialised()
    precondition(key.count == aeadKeyLength)
    let n = aeadNonceLength
    var out = [UInt8](repeating: 0, count: n + plaintext.count + aeadTagLength)
    out.withUnsafeMutableBufferPointer { o in
      randombytes_buf(o.baseAddress!, n)
      var clen: UInt64 = 0
      key.withUnsafeBytes { k in
        additionalData.withUnsafeBufferPointer { ad in
          _ = crypto_aead_xchacha20poly1305_ietf_encrypt(
            o.baseAddress! + n, &clen,
            bytePointer(plaintext), UInt64(plaintext.count),
            bytePointer(UnsafeRawBufferPointer(ad)), UInt64(ad.count), nil, o.baseAddress!,
            k.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
      }
    }
    return out
  }

  public static func seal(_ plaintext: [UInt8], additionalData: [UInt8], key: SecureBytes) -> [UInt8] {
    plaintext.withUnsafeBytes { seal($0, additionalData: additionalData, key: key) }
  }

  /// Opens `nonce || ciphertext || tag`; throws `.authenticationFailed` on any change.
  public static func open(_ sealed: UnsafeRawBufferPointer, additionalData: [UInt8], key: SecureBytes) throws -> [UInt8]
  {
    ensureInitialised()
    let n = aeadNonceLength
    guard key.count == aeadKeyLength, sealed.count >= n + aeadTagLength else {
      throw SodiumError.authenticationFailed
    }
    var out = [UInt8](repeating: 0, count: sealed.count - n - aeadTagLength)
    var mlen: UInt64 = 0
    let base = sealed.baseAddress!.assumingMemoryBound(to: UInt8.self)
    let rc: Int32 = out.withUnsafeMutableBufferPointer { o in
      key.withUnsafeBytes { k in
        additionalData.withUnsafeBufferPointer { ad in
          crypto_aead_xchacha20poly1305_ietf_decrypt(
            o.baseAddress ?? emptyByte, &mlen, nil, base + n, UInt64(sealed.count - n),
            bytePointer(UnsafeRawBufferPointer(ad)), UInt64(ad.count), base,
            k.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
      }
    }
    guard rc == 0 else { throw SodiumError.authenticationFailed }
    return out
  }

  public static func open(_ sealed: [UInt8], additionalData: [UInt8], key: SecureBytes) throws -> [UInt8] {
    try sealed.withUnsafeBytes { try open($0, additionalData: additionalData, key: key) }
  }

  /// Opens into guarded memory (for wrapped keys).
  public static func openSecure(_ sealed: [UInt8], additionalData: [UInt8], key: SecureBytes) throws -> SecureBytes {
    var plain = try open(sealed, additionalData: additionalData, key: key)
    defer { wipe(&plain) }
    return try SecureBytes(copying: plain)
  }

  // MARK: Argon2id (crypto_pwhash)

  public static let pwhashSaltLength = Int(crypto_pwhash_SALTBYTES)  // 16
  public static let pwhashAlgArgon2id13 = Int32(crypto_pwhash_ALG_ARGON2ID13)

  public struct PwhashLimits: Equatable, Sendable {
    public var opsLimit: UInt64
    public var memLimit: UInt64
    public init(opsLimit: UInt64, memLimit: UInt64) {
      self.opsLimit = opsLimit
      self.memLimit = memLimit
    }
    public static var interactive: PwhashLimits {
      .init(
        opsLimit: UInt64(crypto_pwhash_opslimit_interactive()), memLimit: UInt64(crypto_pwhash_memlimit_interactive()))
    }
    public static var moderate: PwhashLimits {
      .init(opsLimit: UInt64(crypto_pwhash_opslimit_moderate()), memLimit: UInt64(crypto_pwhash_memlimit_moderate()))
    }
    public static var sensitive: PwhashLimits {
      .init(opsLimit: UInt64(crypto_pwhash_opslimit_sensitive()), memLimit: UInt64(crypto_pwhash_memlimit_sensitive()))
    }
    /// The smallest parameters libsodium accepts. Only for tests (see MFACTL_INSECURE_TEST_KDF).
    public static var minimum: PwhashLimits {
      .init(opsLimit: UInt64(crypto_pwhash_opslimit_min()), memLimit: UInt64(crypto_pwhash_memlimit_min()))
    }
  }

  /// Argon2id13 into guarded memory.
  public static func argon2id(passphrase: SecureBytes, salt: [UInt8], limits: PwhashLimits, length: Int = 32) throws
    -> SecureBytes
  {
    ensureInitialised()
    guard salt.count == pwhashSaltLength else { throw SodiumError.invalidLength("argon2 salt") }
    let out = try SecureBytes(count: length)
    let rc: Int32 = out.withUnsafeMutableBytes { o in
      passphrase.withUnsafeBytes { p in
        salt.withUnsafeBufferPointer { s in
          crypto_pwhash(
            o.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt64(length),
            UnsafeRawPointer(bytePointer(p)).assumingMemoryBound(to: CChar.self), UInt64(p.count),
            s.baseAddress!, limits.opsLimit, Int(limits.memLimit), pwhashAlgArgon2id13)
        }
      }
    }
    guard rc == 0 else { throw SodiumError.kdfFailed }
    return out
  }

  // MARK: HMAC-SHA-256 / HMAC-SHA-512 (any key length, as RFC 2104 allows)

  public static func hmacSHA256(key: UnsafeRawBufferPointer, message: UnsafeRawBufferPointer) -> [UInt8] {
    ensureInitialised()
    var state = crypto_auth_hmacsha256_state()
    var out = [UInt8](repeating: 0, count: Int(crypto_auth_hmacsha256_BYTES))
    _ = crypto_auth_hmacsha256_init(&state, bytePointer(key), key.count)
    _ = crypto_auth_hmacsha256_update(
      &state, bytePointer(message), UInt64(message.count))
    _ = out.withUnsafeMutableBufferPointer { crypto_auth_hmacsha256_final(&state, $0.baseAddress!) }
    sodium_memzero(&state, MemoryLayout<crypto_auth_hmacsha256_state>.size)
    return out
  }

  public static func hmacSHA512(key: UnsafeRawBufferPointer, message: UnsafeRawBufferPointer) -> [UInt8] {
    ensureInitialised()
    var state = crypto_auth_hmacsha512_state()
    var out = [UInt8](repeating: 0, count: Int(crypto_auth_hmacsha512_BYTES))
    _ = crypto_auth_hmacsha512_init(&state, bytePointer(key), key.count)
    _ = crypto_auth_hmacsha512_update(
      &state, bytePointer(message), UInt64(message.count))
    _ = out.withUnsafeMutableBufferPointer { crypto_auth_hmacsha512_final(&state, $0.baseAddress!) }
    sodium_memzero(&state, MemoryLayout<crypto_auth_hmacsha512_state>.size)
    return out
  }
}

/// A buffer of secret bytes in libsodium guarded memory: mlock'd, excluded from core
/// dumps, between guard pages, and wiped when freed. Keys and passphrases live here,
/// never in Swift arrays for longer than a call.
///
/// Secrets of up to `SecureArena.slotSize` bytes (every key: 32 or 64 bytes) take a slot
/// in a shared guarded page (`SecureArena`); larger ones get their own `sodium_malloc`.
public final class SecureBytes: @unchecked Sendable {
  private let pointer: UnsafeMutableRawPointer
  public let count: Int
  /// Whether `pointer` is a `SecureArena` slot rather than its own `sodium_malloc`.
  private let inArena: Bool

  public init(count: Int) throws {
    Sodium.ensureInitialised()
    if count <= SecureArena.slotSize, let slot = SecureArena.allocate() {
      self.pointer = slot  // wiped when it was freed; the arena's pages start zeroed
      self.inArena = true
    } else {
      // sodium_malloc(0) is allowed but returns a pointer we must not touch; keep 1 byte.
      guard let p = sodium_malloc(max(count, 1)) else { throw SodiumError.outOfMemory }
      sodium_memzero(p, max(count, 1))
      self.pointer = p
      self.inArena = false
    }
    self.count = count
  }

  public convenience init(copying bytes: [UInt8]) throws {
    try self.init(count: bytes.count)
    if !bytes.isEmpty {
      bytes.withUnsafeBytes { pointer.copyMemory(from: $0.baseAddress!, byteCount: bytes.count) }
    }
  }

  public convenience init(copying bytes: UnsafeRawBufferPointer) throws {
    try self.init(count: bytes.count)
    if !bytes.isEmpty { pointer.copyMemory(from: bytes.baseAddress!, byteCount: bytes.count) }
  }

  public static func random(count: Int) throws -> SecureBytes {
    let s = try SecureBytes(count: count)
    randombytes_buf(s.pointer, count)
    return s
  }

  deinit {
    if inArena {
      SecureArena.free(pointer)  // wipes the slot
    } else {
      sodium_free(pointer)  // wipes before unmapping
    }
  }

  public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    try body(UnsafeRawBufferPointer(start: pointer, count: count))
  }

  public func withUnsafeMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
    try body(UnsafeMutableRawBufferPointer(start: pointer, count: count))
  }

  /// Copies the bytes out. Only for values that must leave guarded memory (for example
  /// an OTP secret handed to the HMAC); the caller wipes the copy.
  public func copyBytes() -> [UInt8] {
    withUnsafeBytes { Array($0) }
  }

  public func constantTimeEquals(_ other: SecureBytes) -> Bool {
    guard count == other.count else { return false }
    if count == 0 { return true }
    return other.withUnsafeBytes { o in sodium_memcmp(pointer, o.baseAddress!, count) == 0 }
  }
}

/// Guarded pages shared by small secrets. `sodium_malloc` gives every allocation its own
/// mapping (guard pages, mlock, MADV_DONTDUMP), and `sodium_free` unmaps it again: ten
/// system calls and 25-30 microseconds per secret on the 2-core VM the benchmarks run
/// on, because each unmapping of touched memory flushes the TLB. A verify derives nine
/// 32-byte keys, so that was about a quarter of a millisecond per login (bench/README.md).
/// Here one `sodium_malloc` of a page holds 63 slots of 64 bytes: the page is mlock'd,
/// not dumped and between guard pages as before; a slot is wiped (`sodium_memzero`) when
/// its `SecureBytes` is freed and then reused. Pages are never returned: they hold only
/// zeros once their secrets are gone, and a command needs at most a few.
/// What is given up: a guard page between two small secrets of the same page (an
/// overflow of one would reach its neighbour rather than fault) and libsodium's canary
/// check per secret; every access goes through `withUnsafeBytes` with the exact count.
enum SecureArena {
  static let slotSize = 64
  /// 63 slots: with libsodium's 16-byte canary, 63 * 64 + 16 bytes round up to one page.
  static let slotsPerPage = 63

  private static var freeSlots: [UnsafeMutableRawPointer] = []
  private static let lock: UnsafeMutablePointer<pthread_mutex_t> = {
    let m = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    pthread_mutex_init(m, nil)
    return m
  }()

  /// A zeroed slot of `slotSize` bytes, or nil when no guarded page can be had (the
  /// caller then tries `sodium_malloc` on its own).
  static func allocate() -> UnsafeMutableRawPointer? {
    pthread_mutex_lock(lock)
    defer { pthread_mutex_unlock(lock) }
    if freeSlots.isEmpty {
      guard let page = sodium_malloc(slotSize * slotsPerPage) else { return nil }
      sodium_memzero(page, slotSize * slotsPerPage)
      // Handed out from the start of the page.
      freeSlots.reserveCapacity(freeSlots.count + slotsPerPage)
      for i in stride(from: slotsPerPage - 1, through: 0, by: -1) { freeSlots.append(page + i * slotSize) }
    }
    return freeSlots.removeLast()
  }

  /// Wipes a slot from `allocate` and makes it available again.
  static func free(_ slot: UnsafeMutableRawPointer) {
    sodium_memzero(slot, slotSize)
    pthread_mutex_lock(lock)
    freeSlots.append(slot)
    pthread_mutex_unlock(lock)
  }
}
