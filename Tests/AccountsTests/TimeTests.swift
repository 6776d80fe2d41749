import Accounts
import Vault
import XCTest

/// UTC formatting (Vault.UTCTime) and the time arguments the CLI takes
/// (Accounts.TimeArgument) agree with each other and with known instants.
final class TimeTests: XCTestCase {
  func testFormatsKnownInstants() {
    XCTAssertEqual(UTCTime.format(0), "1970-01-01T00:00:00Z")
    XCTAssertEqual(UTCTime.format(1_700_000_000), "2023-11-14T22:13:20Z")
    XCTAssertEqual(UTCTime.format(20_000_000_000), "2603-10-11T11:33:20Z")  // after 2038
    XCTAssertEqual(UTCTime.format(951_782_400, compact: true), "20000229T000000Z")  // a leap day
  }

  func testParsesWhatItFormatsAndOffsets() {
    for t: Int64 in [0, 59, 951_782_400, 1_700_000_000, 4_102_444_800, 20_000_000_000] {
      XCTAssertEqual(TimeArgument.parse(UTCTime.format(t)), t, UTCTime.format(t))
      XCTAssertEqual(TimeArgument.parse(String(t)), t)
    }
    XCTAssertEqual(TimeArgument.parse("2023-11-14T23:13:20+01:00"), 1_700_000_000)
    XCTAssertEqual(TimeArgument.parse("2023-11-14T22:13:20.5Z"), 1_700_000_000)
    XCTAssertEqual(TimeArgument.parse("2023-11-14 22:13:20z"), 1_700_000_000)
    for bad in [
      "", "2023-11-14", "2023-13-01T00:00:00Z", "2023-11-14T22:13:20", "2023-11-14T22:13:20+0100", "yesterday",
    ] {
      XCTAssertNil(TimeArgument.parse(bad), bad)
    }
  }
}
