import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Role } from '../contracts/api.js';

@Entity('app_user')
export class UserEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column('text')
  email: string;

  @Column({ name: 'password_hash', type: 'text', select: false })
  passwordHash: string;

  @Column({ name: 'display_name', type: 'text' })
  displayName: string;

  @Column('text')
  role: Role;

  @Column({ name: 'school_id', type: 'integer', nullable: true })
  schoolId: number | null;

  @Column({ name: 'is_active', type: 'boolean' })
  isActive: boolean;

  /** Tokens carry the version they were issued under; moving it on revokes them all (UserRepository.revokeTokens). */
  @Column({ name: 'token_version', type: 'integer' })
  tokenVersion: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
