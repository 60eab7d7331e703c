import postgres from "postgres";
import { expect, inject, it } from "vitest";
import { createRoom, newClient, request } from "/work/main/tests/support/api";
it("probe", async () => {
  const sql = postgres(inject("databaseUrl"), { max: 1 });
  const alice = await newClient("a");
  const room = await createRoom(alice, "x");
  console.log("created", room);
  await sql`update chat_rooms set updated_at = '2024-05-05T05:05:05.123456Z' where id = ${room.id}`;
  await sql`insert into chat_logs (chatroom_id, role, message, timestamp) values (${room.id}, 'user', 'm', '2024-03-01T10:00:00.123456Z')`;
  console.log((await request("GET", `/room/${room.id}/`, { token: alice.token })).text);
  console.log((await request("GET", `/room/`, { token: alice.token })).text);
  console.log((await request("GET", `/room/${room.id}/logs/`, { token: alice.token })).text);
  console.log((await request("GET", `/room/${room.id}/logs/?limit=1`, { token: alice.token })).text);
  console.log((await request("GET", `/auth/tokens/`, { token: alice.token })).text);
  await sql.end();
});
