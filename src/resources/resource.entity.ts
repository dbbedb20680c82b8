import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, OneToMany, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { ResourceKind, Visibility } from '../contracts/api.js';
import { UserEntity } from '../schools/user.entity.js';
import { BlobEntity } from './blob.entity.js';

@Entity('resource')
export class ResourceEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ name: 'course_id', type: 'integer' })
  courseId: number;

  @Column({ name: 'lesson_id', type: 'integer', nullable: true })
  lessonId: number | null;

  @Column({ name: 'owner_id', type: 'integer' })
  ownerId: number;

  @ManyToOne(() => UserEntity)
  @JoinColumn({ name: 'owner_id' })
  owner?: UserEntity;

  @Column('text')
  title: string;

  @Column('text')
  kind: ResourceKind;

  @Column('text')
  visibility: Visibility;

  @OneToMany('ResourceVersionEntity', 'resource')
  versions?: ResourceVersionEntity[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

@Entity('resource_version')
export class ResourceVersionEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ name: 'resource_id', type: 'integer' })
  resourceId: number;

  @ManyToOne(() => ResourceEntity, (r) => r.versions, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'resource_id' })
  resource?: ResourceEntity;

  @Column('integer')
  version: number;

  @Column({ name: 'blob_sha256', type: 'char', length: 64 })
  blobSha256: string;

  @ManyToOne(() => BlobEntity)
  @JoinColumn({ name: 'blob_sha256' })
  blob?: BlobEntity;

  @Column('text')
  filename: string;

  @Column({ name: 'uploaded_by', type: 'integer' })
  uploadedBy: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
