import Sodium

/// SHA-1 (FIPS 180-4, section 6.1) and HMAC-SHA1 (RFC 2104).
///
/// SHA-1 is broken for collision resistance, but HMAC-SHA1 is not affected by that and
/// is what RFC 4226/6238 and almost every authenticator app use by default. libsodium
/// has no SHA-1, and the project takes no third-party packages, hence this file. Use it
/// for OTP interoperability only.
public enum SHA1 {
  public static let digestLength = 20
  public static let blockLength = 64

  public static func hash(_ message: [UInt8]) -> [UInt8] {
    var hasher = Hasher()
    hasher.update(message)
    return hasher.finish()
  }

  public static func hmac(key: [UInt8], message: [UInt8]) -> [UInt8] {
    // RFC 2104: keys longer than a block are hashed first, shorter ones zero-padded.
    var block = key.count > blockLength ? hash(key) : key
    block += [UInt8](repeating: 0, count: blockLength - block.count)
    var innerPad = block.map { $0 ^ 0x36 }
    var outerPad = block.map { $0 ^ 0x5C }
    // The padded key blocks are the key in all but name; do not leave them in freed memory.
    defer {
      Sodium.wipe(&block)
      Sodium.wipe(&innerPad)
      Sodium.wipe(&outerPad)
    }

    var inner = Hasher()
    inner.update(innerPad)
    inner.update(message)
    var innerDigest = inner.finish()
    defer { Sodium.wipe(&innerDigest) }

    var outer = Hasher()
    outer.update(outerPad)
    outer.update(innerDigest)
    return outer.finish()
  }

  /// Incremental SHA-1, so HMAC can hash `pad || message` without concatenating them.
  struct Hasher {
    private var state: (UInt32, UInt32, UInt32, UInt32, UInt32) =
      (0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476, 0xC3D2_E1F0)
    private var pending: [UInt8] = []
    private var totalLength: UInt64 = 0
    private var schedule = [UInt32](repeating: 0, count: 80)

    init() { pending.reserveCapacity(SHA1.blockLength) }

    mutating func update(_ bytes: [UInt8]) {
      totalLength &+= UInt64(bytes.count)
      var index = 0
      if !pending.isEmpty {
        let take = min(SHA1.blockLength - pending.count, bytes.count)
        pending += bytes[0..<take]
        index = take
        if pending.count == SHA1.blockLength {
          compress(pending, at: 0)
          pending.removeAll(keepingCapacity: true)
        }
      }
      while bytes.count - index >= SHA1.blockLength {
        compress(bytes, at: index)
        index += SHA1.blockLength
      }
      pending += bytes[index...]
    }

    /// Consumes the hasher; it wipes its own state because for HMAC that state is a
    /// function of the key alone and would let anyone finish the MAC for new messages.
    mutating func finish() -> [UInt8] {
      let bitLength = totalLength &* 8
      var tail = pending
      tail.append(0x80)
      // Pad so that 8 bytes of length end the final block.
      while tail.count % SHA1.blockLength != SHA1.blockLength - 8 { tail.append(0) }
      for shift in stride(from: 56, through: 0, by: -8) {
        tail.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift)))
      }
      var offset = 0
      while offset < tail.count {
        compress(tail, at: offset)
        offset += SHA1.blockLength
      }

      var digest: [UInt8] = []
      digest.reserveCapacity(SHA1.digestLength)
      for word in [state.0, state.1, state.2, state.3, state.4] {
        digest += [
          UInt8(word >> 24), UInt8(truncatingIfNeeded: word >> 16), UInt8(truncatingIfNeeded: word >> 8),
          UInt8(truncatingIfNeeded: word),
        ]
      }

      state = (0, 0, 0, 0, 0)
      Sodium.wipe(&tail)
      Sodium.wipe(&pending)
      for i in schedule.indices { schedule[i] = 0 }
      return digest
    }

    private mutating func compress(_ bytes: [UInt8], at start: Int) {
      bytes.withUnsafeBufferPointer { buffer in
        schedule.withUnsafeMutableBufferPointer { w in
          for t in 0..<16 {
            let p = start + 4 * t
            w[t] =
              UInt32(buffer[p]) << 24 | UInt32(buffer[p + 1]) << 16 | UInt32(buffer[p + 2]) << 8 | UInt32(buffer[p + 3])
          }
          for t in 16..<80 {
            w[t] = rotateLeft(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1)
          }

          var (a, b, c, d, e) = state
          for t in 0..<80 {
            let f: UInt32
            let k: UInt32
            switch t {
            case 0..<20:
              f = (b & c) | (~b & d)
              k = 0x5A82_7999
            case 20..<40:
              f = b ^ c ^ d
              k = 0x6ED9_EBA1
            case 40..<60:
              f = (b & c) | (b & d) | (c & d)
              k = 0x8F1B_BCDC
            default:
              f = b ^ c ^ d
              k = 0xCA62_C1D6
            }
            let temp = rotateLeft(a, 5) &+ f &+ e &+ k &+ w[t]
            e = d
            d = c
            c = rotateLeft(b, 30)
            b = a
            a = temp
          }
          state = (state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d, state.4 &+ e)
        }
      }
    }
  }
}

@inline(__always)
private func rotateLeft(_ x: UInt32, _ n: UInt32) -> UInt32 {
  (x << n) | (x >> (32 - n))
}
