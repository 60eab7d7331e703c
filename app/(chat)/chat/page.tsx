import { requireSessionUser } from "@/lib/auth/session";
import { listRoomsForUser } from "@/lib/rooms";

export default async function ChatHome() {
  const user = await requireSessionUser("/chat");
  const { rooms } = await listRoomsForUser({ userId: user.id });
  return (
    <main className="p-8">
      <h1 className="text-xl font-semibold">Hello, {user.name || user.email}</h1>
      <ul>
        {rooms.map((room) => (
          <li key={room.id}>{room.title}</li>
        ))}
      </ul>
    </main>
  );
}
