import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** One stored file, named by its content hash; shared by every version with the same bytes. */
@Entity('blob')
export class BlobEntity {
  @PrimaryColumn({ type: 'char', length: 64 })
  sha256: string;

  /** bigint arrives as a string from pg; sizes here stay far below 2^53. */
  @Column({ type: 'bigint', transformer: { to: (v: number) => v, from: (v: string) => Number(v) } })
  size: number;

  @Column({ name: 'mime_type', type: 'text' })
  mimeType: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
