import { Injectable } from '@nestjs/common';
import { DataSource, Repository } from 'typeorm';
import { UserEntity } from './user.entity.js';
import { ClassroomEntity } from './classroom.entity.js';

@Injectable()
export class ClassroomRepository {
  private readonly repo: Repository<ClassroomEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.repo = dataSource.getRepository(ClassroomEntity);
  }

  listBySchool(schoolId: number): Promise<ClassroomEntity[]> {
    return this.repo.find({ where: { schoolId }, relations: { school: true, deviceUser: true }, order: { gradeId: 'ASC', name: 'ASC' } });
  }

  findById(id: number): Promise<ClassroomEntity | null> {
    return this.repo.findOne({ where: { id }, relations: { school: true, deviceUser: true } });
  }

  findByDevice(userId: number): Promise<ClassroomEntity | null> {
    return this.repo.findOne({ where: { deviceUserId: userId }, relations: { school: true, deviceUser: true } });
  }

  /** The room and its device login in one transaction: either both exist or neither. */
  async insertWithDevice(classroom: Partial<ClassroomEntity>, device: Partial<UserEntity>): Promise<number> {
    return this.dataSource.transaction(async (m) => {
      const user = await m.getRepository(UserEntity).save(m.getRepository(UserEntity).create(device));
      const saved = await m.getRepository(ClassroomEntity).save(m.getRepository(ClassroomEntity).create({ ...classroom, deviceUserId: user.id }));
      return saved.id;
    });
  }

  async update(id: number, changes: Partial<ClassroomEntity>): Promise<void> {
    await this.repo.update({ id }, changes);
  }

  /** Removes the room and its device login. */
  async delete(id: number): Promise<boolean> {
    return this.dataSource.transaction(async (m) => {
      const room = await m.getRepository(ClassroomEntity).findOneBy({ id });
      if (!room) return false;
      await m.getRepository(ClassroomEntity).delete({ id });
      if (room.deviceUserId) await m.getRepository(UserEntity).delete({ id: room.deviceUserId, role: 'classroom' });
      return true;
    });
  }
}
