import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ChatMessage } from '../contracts/live.js';

interface ChatRow {
  id: number;
  session_id: number;
  kind: 'chat' | 'question';
  text: string;
  user_id: number;
  display_name: string;
  classroom_id: number | null;
  created_at: Date;
}

const toChatMessage = (r: ChatRow): ChatMessage => ({
  id: r.id,
  sessionId: r.session_id,
  kind: r.kind,
  text: r.text,
  author: { userId: r.user_id, displayName: r.display_name, classroomId: r.classroom_id },
  createdAt: r.created_at.toISOString(),
});

@Injectable()
export class ChatRepository {
  constructor(private readonly dataSource: DataSource) {}

  async post(sessionId: number, userId: number, classroomId: number | null, kind: 'chat' | 'question', text: string): Promise<ChatMessage> {
    const rows = (await this.dataSource.query(
      `WITH m AS (INSERT INTO chat_message (session_id, user_id, classroom_id, kind, text) VALUES ($1, $2, $3, $4, $5) RETURNING *)
       SELECT m.*, u.display_name FROM m JOIN app_user u ON u.id = m.user_id`,
      [sessionId, userId, classroomId, kind, text],
    )) as ChatRow[];
    return toChatMessage(rows[0]);
  }

  /** The latest `limit` messages of a session, oldest first. */
  async recent(sessionId: number, limit = 200): Promise<ChatMessage[]> {
    const rows = (await this.dataSource.query(
      `SELECT * FROM (SELECT m.*, u.display_name FROM chat_message m JOIN app_user u ON u.id = m.user_id
        WHERE m.session_id = $1 ORDER BY m.id DESC LIMIT $2) x ORDER BY id`,
      [sessionId, limit],
    )) as ChatRow[];
    return rows.map(toChatMessage);
  }
}
