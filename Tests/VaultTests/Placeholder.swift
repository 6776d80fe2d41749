import XCTest
final class VaultTestsPlaceholder: XCTestCase { func testBuilds() {} }
