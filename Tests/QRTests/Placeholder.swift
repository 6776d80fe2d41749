import XCTest
final class QRTestsPlaceholder: XCTestCase { func testBuilds() {} }
