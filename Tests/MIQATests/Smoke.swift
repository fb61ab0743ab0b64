import XCTest
final class MIQATestsSmoke: XCTestCase { func testNothingYet() {} }
