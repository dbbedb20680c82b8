import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { SchoolKind } from '../contracts/api.js';

@Entity('school')
export class SchoolEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column('text')
  name: string;

  @Column('text')
  kind: SchoolKind;

  @Column('text')
  province: string;

  @Column('text')
  city: string;

  @Column('text')
  county: string;

  @Column('text')
  timezone: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
