import XCTest
final class ImagingTestsSmoke: XCTestCase { func testNothingYet() {} }
