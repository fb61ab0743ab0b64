import XCTest
final class MIQAVideoSmoke: XCTestCase { func testPlaceholder() { XCTAssertTrue(true) } }
