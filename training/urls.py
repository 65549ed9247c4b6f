"""Training pages under ``/pelatihan/``; the public certificate check at ``/sertifikat/<code>/``."""

from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("pelatihan/", views.course_list, name="courses"),
    path("pelatihan/tugas/", views.my_tasks, name="my_tasks"),
    path("pelatihan/kursus/<slug:slug>/", views.course_detail, name="course"),
    path("pelatihan/kursus/<slug:slug>/materi/<int:pk>/", views.lesson_detail, name="lesson"),
    path("pelatihan/kursus/<slug:slug>/kuis/<int:pk>/", views.quiz_detail, name="quiz"),
    path("pelatihan/sertifikat/<int:pk>/unduh/", views.certificate_download, name="certificate"),
    path("pelatihan/sertifikat/<int:pk>/cabut/", views.certificate_revoke, name="revoke"),
    path("pelatihan/kelas/", views.cohort_list, name="cohorts"),
    path("pelatihan/kelas/baru/", views.cohort_create, name="cohort_create"),
    path("pelatihan/kelas/<int:pk>/", views.cohort_detail, name="cohort"),
    path("pelatihan/kelas/<int:pk>/daftar/", views.cohort_enrol, name="enrol"),
    path("pelatihan/kelas/<int:pk>/sesi/", views.session_add, name="session_add"),
    path("pelatihan/kelas/<int:pk>/sesi/<int:session_pk>/", views.attendance, name="attendance"),
    path("pelatihan/kelas/<int:pk>/hasil.csv", views.cohort_csv, name="cohort_csv"),
    path(
        "pelatihan/kelas/<int:pk>/peserta/<int:learner_pk>/",
        views.learner_progress,
        name="learner",
    ),
    path("pelatihan/program/", views.programme, name="programme"),
    path("pelatihan/program.csv", views.programme_csv, name="programme_csv"),
    path("sertifikat/<str:code>/", views.verify, name="verify"),
]
