import XCTest
import Checkpoints

final class TensorDictTests: XCTestCase {
    func testOrderReplacementAndRemoval() {
        var dict = TensorDict()
        dict["b"] = StoredTensor(shape: [1], values: [1])
        dict["a"] = StoredTensor(shape: [1], values: [2])
        dict["b"] = StoredTensor(shape: [1], values: [3])  // replaced in place
        XCTAssertEqual(dict.names, ["b", "a"])
        XCTAssertEqual(dict["b"]?.values, [3])
        dict["b"] = nil
        XCTAssertEqual(dict.names, ["a"])
        XCTAssertEqual(dict.count, 1)
        XCTAssertNil(dict["b"])
    }
}
