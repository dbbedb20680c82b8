import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { SchoolEntity } from './school.entity.js';
import { UserEntity } from './user.entity.js';

@Entity('classroom')
export class ClassroomEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ name: 'school_id', type: 'integer' })
  schoolId: number;

  @ManyToOne(() => SchoolEntity)
  @JoinColumn({ name: 'school_id' })
  school?: SchoolEntity;

  @Column('text')
  name: string;

  @Column({ name: 'grade_id', type: 'smallint' })
  gradeId: number;

  @Column({ name: 'device_user_id', type: 'integer', nullable: true })
  deviceUserId: number | null;

  @ManyToOne(() => UserEntity)
  @JoinColumn({ name: 'device_user_id' })
  deviceUser?: UserEntity | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
