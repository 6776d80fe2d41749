import Foundation
import OTP
import XCTest

/// Compares TOTP/HOTP codes with oathtool (OATH Toolkit), an independent implementation,
/// over random secrets, times, algorithms, digit counts and periods.
///
/// All oathtool runs go into one shell script run once, so the cost is process start-up
/// only (about 1 ms per case). The cases come from a seeded generator; set
/// OTP_ORACLE_SEED to replay a failure, whose message names the seed.
final class OathtoolCrossCheckTests: XCTestCase {
  struct Case {
    let description: String
    let command: String
    /// Codes oathtool prints, one per line: `-w 2` gives the step or counter and the two after it.
    let expected: [String]
  }

  static let window: UInt64 = 2

  func testTOTPAgainstOathtool() throws {
    var rng = SplitMix64(seed: Self.seed())
    var cases: [Case] = []
    let fixedTimes: [Int64] = [0, 59, 2_147_483_647, 2_147_483_648, 4_294_967_296, 1 << 33]
    for i in 0..<1000 {
      let secret = (0..<Int(rng.next(in: 10...64))).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
      let time = i < fixedTimes.count ? fixedTimes[i] : Int64(rng.next(in: 0...(1 << 33)))
      let algorithm = OTPAlgorithm.allCases[Int(rng.next(in: 0...2))]
      let digits = rng.next(in: 0...1) == 0 ? 6 : 8
      let period: UInt32 = [15, 30, 60, 90][Int(rng.next(in: 0...3))]
      let step = TOTP.step(at: time, period: period)
      let expected = (0...Self.window).map {
        HOTP.code(secret: secret, counter: step &+ $0, algorithm: algorithm, digits: digits)
      }
      cases.append(
        Case(
          description:
            "TOTP \(algorithm.rawValue) digits=\(digits) period=\(period) time=\(time) secret=\(hex(secret))",
          command: "oathtool --totp=\(algorithm.rawValue) -d \(digits) --time-step-size=\(period)s"
            + " --now=@\(time) -w \(Self.window) \(hex(secret))",
          expected: expected))
    }
    try check(cases)
  }

  // oathtool's HOTP mode is HMAC-SHA1 only.
  func testHOTPAgainstOathtool() throws {
    var rng = SplitMix64(seed: Self.seed() ^ 0x5DEE_CE66)
    var cases: [Case] = []
    let fixedCounters: [UInt64] = [0, 1, UInt64(UInt32.max), 1 << 63, UInt64.max - 2, UInt64.max]
    for i in 0..<300 {
      let secret = (0..<Int(rng.next(in: 10...64))).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
      let counter = i < fixedCounters.count ? fixedCounters[i] : rng.next() >> rng.next(in: 0...63)
      let digits = rng.next(in: 0...1) == 0 ? 6 : 8
      // Past UInt64.max oathtool's window wraps to 0, as `&+` does.
      let expected = (0...Self.window).map {
        HOTP.code(secret: secret, counter: counter &+ $0, algorithm: .sha1, digits: digits)
      }
      cases.append(
        Case(
          description: "HOTP digits=\(digits) counter=\(counter) secret=\(hex(secret))",
          command: "oathtool --hotp -d \(digits) -c \(counter) -w \(Self.window) \(hex(secret))",
          expected: expected))
    }
    try check(cases)
  }

  // MARK: Running oathtool

  func check(_ cases: [Case], file: StaticString = #filePath, line: UInt = #line) throws {
    guard let oathtool = Self.findOathtool() else {
      XCTFail(
        "oathtool not found (/usr/bin/oathtool or on PATH): run `make deps` to install it", file: file, line: line)
      return
    }
    let script = cases.map { "\(oathtool) \($0.command.dropFirst("oathtool".count)) || echo 'oathtool failed'" }
      .joined(separator: "\n")
    let output = try Self.runShell(script)
    let lines = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)

    let perCase = Int(Self.window) + 1
    guard lines.count >= cases.count * perCase else {
      XCTFail(
        "oathtool printed \(lines.count) lines for \(cases.count) cases (seed \(Self.seed()))", file: file, line: line)
      return
    }
    var failures = 0
    for (i, c) in cases.enumerated() {
      let got = Array(lines[i * perCase..<(i + 1) * perCase])
      if got != c.expected {
        failures += 1
        if failures <= 5 {
          XCTFail(
            "\(c.description): oathtool \(got), mfactl \(c.expected) (seed \(Self.seed()))", file: file, line: line)
        }
      }
    }
    XCTAssertEqual(
      failures, 0, "\(failures) of \(cases.count) cases differ (seed \(Self.seed()))", file: file, line: line)
  }

  static func findOathtool() -> String? {
    var candidates = ["/usr/bin/oathtool"]
    for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
      candidates.append("\(dir)/oathtool")
    }
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
  }

  static func runShell(_ script: String) throws -> String {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("otp-oathtool-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString).sh")
    try script.write(to: url, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: url) }

    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = [url.path]
    let stdout = Pipe()
    process.standardOutput = stdout
    process.standardError = FileHandle.nullDevice
    try process.run()
    // Read before waiting: the output (~20 KB) could fill the pipe and block the shell.
    let data = stdout.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
  }

  static func seed() -> UInt64 {
    if let text = ProcessInfo.processInfo.environment["OTP_ORACLE_SEED"], let value = UInt64(text) { return value }
    return launchSeed
  }

  private static let launchSeed = UInt64.random(in: 0...UInt64.max)
}

/// Small, seedable PRNG (Steele, Lea & Flood's SplitMix64) so a failing case can be replayed.
struct SplitMix64 {
  var state: UInt64
  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// Uniform enough for test data (modulo bias is irrelevant here).
  mutating func next(in range: ClosedRange<UInt64>) -> UInt64 {
    let width = range.upperBound - range.lowerBound
    return width == UInt64.max ? next() : range.lowerBound + next() % (width + 1)
  }
}
