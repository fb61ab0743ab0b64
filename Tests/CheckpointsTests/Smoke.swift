import XCTest
final class CheckpointsTestsSmoke: XCTestCase { func testNothingYet() {} }
