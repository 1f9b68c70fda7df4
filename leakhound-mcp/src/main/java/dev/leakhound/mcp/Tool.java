package dev.leakhound.mcp;

import dev.leakhound.report.Json;

/**
 * One tool of the server: its name, what it does (for the agent choosing tools), its arguments and the
 * code that answers a call by writing JSON fields into an open object.
 *
 * @param readOnly whether it only reads files (analyses); the live tools act on a process
 */
record Tool(String name, String title, String description, ToolSchema schema, boolean readOnly, Handler handler) {
    interface Handler {
        void answer(Args args, Json out);
    }
}
