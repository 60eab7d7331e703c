CREATE TYPE "public"."feedback_rating" AS ENUM('up', 'down');--> statement-breakpoint
CREATE TABLE "room_shares" (
	"room_id" bigint PRIMARY KEY NOT NULL,
	"token" varchar(64) NOT NULL,
	"snapshot" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "room_shares_token_unique" UNIQUE("token")
);
--> statement-breakpoint
DROP INDEX "chat_rooms_user_updated_idx";--> statement-breakpoint
ALTER TABLE "chat_logs" ADD COLUMN "model" varchar(100);--> statement-breakpoint
ALTER TABLE "chat_logs" ADD COLUMN "prompt_tokens" integer;--> statement-breakpoint
ALTER TABLE "chat_logs" ADD COLUMN "completion_tokens" integer;--> statement-breakpoint
ALTER TABLE "chat_logs" ADD COLUMN "feedback" "feedback_rating";--> statement-breakpoint
ALTER TABLE "chat_logs" ADD COLUMN "feedback_comment" varchar(1000);--> statement-breakpoint
ALTER TABLE "chat_rooms" ADD COLUMN "model" varchar(100);--> statement-breakpoint
ALTER TABLE "chat_rooms" ADD COLUMN "system_prompt" varchar(4000);--> statement-breakpoint
ALTER TABLE "chat_rooms" ADD COLUMN "pinned" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "chat_rooms" ADD COLUMN "archived" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "room_shares" ADD CONSTRAINT "room_shares_room_id_chat_rooms_id_fk" FOREIGN KEY ("room_id") REFERENCES "public"."chat_rooms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "chat_rooms_user_list_idx" ON "chat_rooms" USING btree ("user_id","archived","pinned" DESC NULLS LAST,"updated_at" DESC NULLS LAST,"id" DESC NULLS LAST);