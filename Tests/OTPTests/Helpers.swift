import OTP
import XCTest

func hex(_ bytes: [UInt8]) -> String {
  bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
}

func bytes(hex text: String) -> [UInt8] {
  let chars = Array(text.utf8)
  precondition(chars.count % 2 == 0)
  return stride(from: 0, to: chars.count, by: 2).map {
    UInt8(String(decoding: chars[$0..<$0 + 2], as: UTF8.self), radix: 16)!
  }
}

/// Asserts that `body` throws exactly `expected`; returns the error's message so a test
/// can check its wording too.
@discardableResult
func assertThrows<T>(
  _ expected: OTPError, _ body: @autoclosure () throws -> T, file: StaticString = #filePath, line: UInt = #line
) -> String {
  do {
    let value = try body()
    XCTFail("expected \(expected), got \(value)", file: file, line: line)
  } catch let error as OTPError {
    XCTAssertEqual(error, expected, file: file, line: line)
    return error.description
  } catch {
    XCTFail("unexpected error type \(error)", file: file, line: line)
  }
  return ""
}
