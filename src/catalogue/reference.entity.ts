import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

@Entity('grade')
export class GradeEntity {
  @PrimaryColumn('smallint')
  id: number;

  @Column({ name: 'name_zh', type: 'text' })
  nameZh: string;

  @Column({ name: 'name_en', type: 'text' })
  nameEn: string;
}

@Entity('subject')
export class SubjectEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column('text')
  code: string;

  @Column({ name: 'name_zh', type: 'text' })
  nameZh: string;

  @Column({ name: 'name_en', type: 'text' })
  nameEn: string;

  @Column({ name: 'sort_order', type: 'integer' })
  sortOrder: number;
}
