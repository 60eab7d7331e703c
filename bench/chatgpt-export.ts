/**
 * A ChatGPT `conversations.json` of a given size, shaped like a real export (the fixture
 * tests/fixtures/chatgpt/conversations.json, at scale): every conversation has the null root,
 * a hidden system message, user/assistant exchanges with an edited question (a branch off the
 * current one) now and then, a code-interpreter call with its tool output, images in
 * multimodal messages, Korean and English text. Deterministic (a seeded generator).
 */
export type ChatGptExport = { json: string; conversations: number; keptMessages: number };

export function generateChatGptExport(targetBytes: number, seed = 42): ChatGptExport {
  let state = seed;
  const random = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  let counter = 0;
  const id = () => {
    counter += 1;
    const hex = counter.toString(16).padStart(12, "0");
    return `${(seed + 0xa0000000).toString(16)}-${hex.slice(0, 4)}-4${hex.slice(4, 7)}-8${hex.slice(7, 10)}-${hex.padStart(12, "0")}`;
  };

  const SENTENCES = [
    "제주도 2박 3일 일정을 짜 줘.",
    "버스로 다니기 편한 숙소를 추천해 줘.",
    "How do I paginate with a keyset instead of OFFSET?",
    "Here is a step-by-step explanation with an example query.",
    "PostgreSQL의 인덱스는 B-tree가 기본입니다.",
    "The trade-off is between memory and latency, so measure both.",
    "```ts\nconst rows = await sql`select * from logs where id > ${last} order by id limit 500`;\n```",
    "요약하면 세 가지를 기억하면 됩니다: 측정하고, 비교하고, 기록하세요.",
    "Let me know if you want the same in Python.",
  ];
  const text = (minChars: number) => {
    const parts: string[] = [];
    let length = 0;
    while (length < minChars) {
      const sentence = pick(SENTENCES);
      parts.push(sentence);
      length += sentence.length + 1;
    }
    return parts.join(random() < 0.3 ? "\n\n" : " ");
  };

  type Node = { id: string; message: unknown; parent: string | null; children: string[] };
  const message = (nodeId: string, role: string, content: unknown, time: number | null, extra: Record<string, unknown> = {}) => ({
    id: nodeId,
    author: { role, name: role === "tool" ? "python" : null, metadata: {} },
    create_time: time,
    update_time: null,
    content,
    status: "finished_successfully",
    end_turn: role === "assistant" ? true : null,
    weight: 1,
    metadata: role === "assistant" ? { model_slug: "gpt-4o", default_model_slug: "gpt-4o", finish_details: { type: "stop" } } : {},
    recipient: "all",
    channel: null,
    ...extra,
  });

  const conversations: string[] = [];
  let bytes = 2;
  let keptMessages = 0;
  let time = 1_700_000_000.123;
  while (bytes < targetBytes) {
    const mapping: Record<string, Node> = {};
    const add = (parent: string | null, msg: (nodeId: string) => unknown) => {
      const nodeId = parent === null ? "client-created-root" : id();
      mapping[nodeId] = { id: nodeId, message: msg(nodeId), parent, children: [] };
      if (parent !== null) mapping[parent]!.children.push(nodeId);
      return nodeId;
    };
    const created = time;
    let current = add(null, () => null);
    current = add(current, (n) =>
      message(n, "system", { content_type: "text", parts: [""] }, null, { metadata: { is_visually_hidden_from_conversation: true } }),
    );
    const exchanges = 3 + Math.floor(random() * 12);
    for (let i = 0; i < exchanges; i += 1) {
      time += 30 + random() * 300;
      if (random() < 0.15) {
        // An edited question: the old version and its answer stay in the tree, off the branch.
        const old = add(current, (n) => message(n, "user", { content_type: "text", parts: [text(40)] }, time));
        add(old, (n) => message(n, "assistant", { content_type: "text", parts: [text(300)] }, time + 5));
        time += 60;
      }
      const withImage = random() < 0.1;
      current = add(current, (n) =>
        message(
          n,
          "user",
          withImage
            ? {
                content_type: "multimodal_text",
                parts: [{ content_type: "image_asset_pointer", asset_pointer: `file-service://file-${n.slice(-10)}`, size_bytes: 182_733, width: 1024, height: 768 }, text(60)],
              }
            : { content_type: "text", parts: [text(20 + random() * 400)] },
          time,
        ),
      );
      if (random() < 0.1) {
        current = add(current, (n) =>
          message(n, "assistant", { content_type: "code", language: "unknown", text: "import pandas as pd\ndf.describe()" }, time + 2, { recipient: "python" }),
        );
        current = add(current, (n) => message(n, "tool", { content_type: "execution_output", text: "count  100.0\nmean   4.2" }, time + 4));
      }
      current = add(current, (n) => message(n, "assistant", { content_type: "text", parts: [text(100 + random() * 2_000)] }, time + 8));
      keptMessages += 2;
    }
    const conversation = JSON.stringify({
      title: text(10).slice(0, 60),
      create_time: created,
      update_time: time + 8,
      mapping,
      moderation_results: [],
      current_node: current,
      conversation_id: id(),
      default_model_slug: "gpt-4o",
      id: id(),
    });
    conversations.push(conversation);
    bytes += Buffer.byteLength(conversation) + 1;
    time += 3_600;
  }
  return { json: `[${conversations.join(",")}]`, conversations: conversations.length, keptMessages };
}
