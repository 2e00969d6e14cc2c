package io.npusim.system.result;

import io.npusim.system.board.Board;
import java.util.Map;

/**
 * The outcome of one policy run: the deterministic summary, the wall-clock facts (kept apart so
 * summaries stay byte-identical), and the board for reports that need more detail.
 */
public record RunResult(Map<String, Object> summary, Map<String, Object> runInfo, Board board) {}
