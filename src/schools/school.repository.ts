import { Injectable } from '@nestjs/common';
import { DataSource, Repository } from 'typeorm';
import { ClassroomEntity } from './classroom.entity.js';
import { SchoolEntity } from './school.entity.js';

export type SchoolWithCount = SchoolEntity & { classroomCount: number };

@Injectable()
export class SchoolRepository {
  private readonly schools: Repository<SchoolEntity>;
  private readonly classrooms: Repository<ClassroomEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.schools = dataSource.getRepository(SchoolEntity);
    this.classrooms = dataSource.getRepository(ClassroomEntity);
  }

  async list(): Promise<SchoolWithCount[]> {
    const { entities, raw } = await this.schools
      .createQueryBuilder('s')
      .addSelect((sub) => sub.select('count(*)::int').from(ClassroomEntity, 'c').where('c.school_id = s.id'), 'classroom_count')
      .orderBy('s.province')
      .addOrderBy('s.city')
      .addOrderBy('s.county')
      .addOrderBy('s.kind')
      .addOrderBy('s.name')
      .getRawAndEntities();
    return entities.map((s, i) => Object.assign(s, { classroomCount: (raw[i] as { classroom_count: number }).classroom_count }));
  }

  async findById(id: number): Promise<SchoolWithCount | null> {
    const school = await this.schools.findOneBy({ id });
    if (!school) return null;
    return Object.assign(school, { classroomCount: await this.classrooms.countBy({ schoolId: id }) });
  }

  async insert(school: Partial<SchoolEntity>): Promise<number> {
    return (await this.schools.save(this.schools.create(school))).id;
  }

  async update(id: number, changes: Partial<SchoolEntity>): Promise<void> {
    await this.schools.update({ id }, changes);
  }

  /** Deletes the school and its classrooms; refused by the database while users or courses depend on it. */
  async delete(id: number): Promise<boolean> {
    return this.dataSource.transaction(async (m) => {
      const devices = await m.getRepository(ClassroomEntity).find({ where: { schoolId: id }, select: { deviceUserId: true } });
      const result = await m.getRepository(SchoolEntity).delete({ id });
      const ids = devices.map((d) => d.deviceUserId).filter((x): x is number => x !== null);
      if (ids.length) await m.query('DELETE FROM app_user WHERE id = ANY($1) AND role = $2', [ids, 'classroom']);
      return (result.affected ?? 0) > 0;
    });
  }
}
