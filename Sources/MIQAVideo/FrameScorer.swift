import Foundation
import Imaging
import MIQA

/// Turns frames into scores in two steps, so the cheap first step (preprocessing) can run on
/// another thread ahead of the expensive second (the model).
public protocol FrameScorer: AnyObject {
    /// Model inputs of one frame; called from a producer thread, must not touch shared state.
    func prepare(_ image: RGBImage) -> [[Float]]
    /// One score per prepared frame, in order.
    func scores(_ samples: [[[Float]]]) -> [Double]
}

/// A MIQA predictor's first output is its score.
extension Predictor: FrameScorer {
    public func scores(_ samples: [[[Float]]]) -> [Double] {
        let out = run(samples).values
        let k = out.count / samples.count
        return (0..<samples.count).map { Double(out[$0 * k]) }
    }
}
