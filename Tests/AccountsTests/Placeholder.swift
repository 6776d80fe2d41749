import XCTest
final class AccountsTestsPlaceholder: XCTestCase { func testBuilds() {} }
