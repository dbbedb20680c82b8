import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, OneToMany, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { CourseStatus } from '../contracts/api.js';
import { UserEntity } from '../schools/user.entity.js';
import { LessonEntity } from './lesson.entity.js';
import { GradeEntity, SubjectEntity } from './reference.entity.js';

@Entity('course')
export class CourseEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column('text')
  title: string;

  @Column('text')
  description: string;

  @Column({ name: 'subject_id', type: 'integer' })
  subjectId: number;

  @ManyToOne(() => SubjectEntity)
  @JoinColumn({ name: 'subject_id' })
  subject?: SubjectEntity;

  @Column({ name: 'grade_id', type: 'smallint' })
  gradeId: number;

  @ManyToOne(() => GradeEntity)
  @JoinColumn({ name: 'grade_id' })
  grade?: GradeEntity;

  @Column({ name: 'teacher_id', type: 'integer' })
  teacherId: number;

  @ManyToOne(() => UserEntity)
  @JoinColumn({ name: 'teacher_id' })
  teacher?: UserEntity;

  @Column('text')
  status: CourseStatus;

  @Column({ name: 'cover_sha256', type: 'char', length: 64, nullable: true })
  coverSha256: string | null;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt: Date | null;

  /** Archived: out of the catalogue and closed to new classes, its class history kept (a course with classes is never deleted). */
  @Column({ name: 'archived_at', type: 'timestamptz', nullable: true })
  archivedAt: Date | null;

  @OneToMany(() => LessonEntity, (lesson) => lesson.course)
  lessons?: LessonEntity[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
