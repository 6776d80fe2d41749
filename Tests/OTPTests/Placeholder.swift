import XCTest
final class OTPTestsPlaceholder: XCTestCase { func testBuilds() {} }
